// Package usersig verifies Tencent's TLSSigAPIv2 UserSig: URL-safe base64 (with '*', '-', '_')
// of zlib-compressed JSON whose TLS.sig is an HMAC-SHA256, keyed by the app's secret, over the
// identifier, SDKAppID, issue time and lifetime. Each failure carries its 70xxx code.
//
// Verified sigs are cached until they expire, so the hot path does not inflate zlib on every call.
package usersig

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strconv"
	"sync"
	"time"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// encoding is Tencent's URL-safe alphabet: '+' becomes '*', '/' becomes '-', '=' becomes '_'.
var encoding = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-").WithPadding('_')

// maxInflated bounds the decompressed document; a real one is under 400 bytes.
const maxInflated = 16 << 10

// cacheSize bounds the cache. Only sigs that verified enter it, and only administrators (at most
// ten) pass the later checks, so the bound is reached only by clients minting a sig per call.
const cacheSize = 4096

// Verifier checks UserSigs of one app.
type Verifier struct {
	appID uint64
	key   []byte

	mu    sync.RWMutex
	cache map[string]cached
}

type cached struct {
	identifier string
	expires    int64 // Unix seconds: TLS.time + TLS.expire
}

// NewVerifier returns a Verifier for the app's SDKAppID and secret key.
func NewVerifier(sdkAppID uint64, secretKey string) *Verifier {
	return &Verifier{appID: sdkAppID, key: []byte(secretKey), cache: make(map[string]cached)}
}

// document is the JSON inside a UserSig. TLS.sig and TLS.userbuf stay in their base64 form:
// the HMAC covers userbuf exactly as sent.
type document struct {
	Identifier string  `json:"TLS.identifier"`
	AppID      uint64  `json:"TLS.sdkappid"`
	Time       int64   `json:"TLS.time"`
	Expire     int64   `json:"TLS.expire"`
	Sig        string  `json:"TLS.sig"`
	UserBuf    *string `json:"TLS.userbuf"`
}

// Verify reports whether sig is valid for identifier at now. It returns nil or an *envelope.Error
// with the code of the first failed check, in wire.md's order: 70003 undecodable, 70014 another
// app, 70013 another identifier, 70001 expired, 70009 HMAC mismatch.
func (v *Verifier) Verify(identifier, sig string, now time.Time) error {
	v.mu.RLock()
	c, ok := v.cache[sig]
	v.mu.RUnlock()
	if ok && c.identifier == identifier && now.Unix() <= c.expires {
		return nil
	}
	doc, err := decode(sig)
	if err != nil {
		return err
	}
	if err := v.check(doc, identifier, now); err != nil {
		return err
	}
	v.remember(sig, cached{identifier: doc.Identifier, expires: doc.Time + doc.Expire}, now)
	return nil
}

func decode(sig string) (document, error) {
	raw, err := encoding.DecodeString(sig)
	if err != nil {
		// Some clients strip the padding; accept that form too.
		raw, err = encoding.WithPadding(base64.NoPadding).DecodeString(sig)
	}
	if err != nil {
		return document{}, envelope.Errorf(protocol.CodeUserSigUndecodable, "usersig is not valid base64")
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return document{}, envelope.Errorf(protocol.CodeUserSigUndecodable, "usersig is not zlib-compressed")
	}
	text, err := io.ReadAll(io.LimitReader(zr, maxInflated+1))
	if err != nil || len(text) > maxInflated {
		return document{}, envelope.Errorf(protocol.CodeUserSigUndecodable, "usersig does not inflate")
	}
	var doc document
	if err := json.Unmarshal(text, &doc); err != nil {
		return document{}, envelope.Errorf(protocol.CodeUserSigUndecodable, "usersig does not hold valid JSON")
	}
	return doc, nil
}

func (v *Verifier) check(doc document, identifier string, now time.Time) error {
	if doc.AppID != v.appID {
		return envelope.Errorf(protocol.CodeUserSigAppID, "usersig was made for another SDKAppID")
	}
	if doc.Identifier != identifier {
		return envelope.Errorf(protocol.CodeUserSigIdentifier, "usersig was made for another identifier")
	}
	if now.Unix() > doc.Time+doc.Expire {
		return envelope.Errorf(protocol.CodeUserSigExpired, "usersig expired")
	}
	got, err := base64.StdEncoding.DecodeString(doc.Sig)
	if err != nil || !hmac.Equal(got, v.mac(doc)) {
		return envelope.Errorf(protocol.CodeUserSigMismatch, "usersig does not match the app's secret key")
	}
	return nil
}

// mac is TLSSigAPIv2's HMAC: each field as "TLS.<name>:<value>\n", userbuf only when present.
func (v *Verifier) mac(doc document) []byte {
	b := make([]byte, 0, 160)
	b = append(b, "TLS.identifier:"...)
	b = append(b, doc.Identifier...)
	b = append(b, "\nTLS.sdkappid:"...)
	b = strconv.AppendUint(b, doc.AppID, 10)
	b = append(b, "\nTLS.time:"...)
	b = strconv.AppendInt(b, doc.Time, 10)
	b = append(b, "\nTLS.expire:"...)
	b = strconv.AppendInt(b, doc.Expire, 10)
	b = append(b, '\n')
	if doc.UserBuf != nil {
		b = append(b, "TLS.userbuf:"...)
		b = append(b, *doc.UserBuf...)
		b = append(b, '\n')
	}
	h := hmac.New(sha256.New, v.key)
	h.Write(b)
	return h.Sum(nil)
}

func (v *Verifier) remember(sig string, c cached, now time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.cache) >= cacheSize {
		for k, e := range v.cache {
			if now.Unix() > e.expires {
				delete(v.cache, k)
			}
		}
		if len(v.cache) >= cacheSize {
			clear(v.cache)
		}
	}
	v.cache[sig] = c
}
