package usersig_test

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/usersig"
)

const (
	appID = 1400000000
	key   = "a-secret-key-of-the-app"
	admin = "administrator"
)

// tencentAlphabet is TLSSigAPIv2's URL-safe base64 ('*', '-', '_' for '+', '/', '=').
var tencentAlphabet = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-").WithPadding('_')

// pack compresses and encodes a sig document the way Tencent's libraries do.
func pack(t testing.TB, doc string) string {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, err := w.Write([]byte(doc))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return tencentAlphabet.EncodeToString(b.Bytes())
}

// signed is a sig document with a correct HMAC under k, built by hand so that each field can be
// set independently of the clock.
func signed(k, identifier string, sdkAppID uint64, issued, expire int64) string {
	m := hmac.New(sha256.New, []byte(k))
	m.Write([]byte("TLS.identifier:" + identifier + "\nTLS.sdkappid:" + strconv.FormatUint(sdkAppID, 10) +
		"\nTLS.time:" + strconv.FormatInt(issued, 10) + "\nTLS.expire:" + strconv.FormatInt(expire, 10) + "\n"))
	return `{"TLS.ver":"2.0","TLS.identifier":"` + identifier + `","TLS.sdkappid":` + strconv.FormatUint(sdkAppID, 10) +
		`,"TLS.expire":` + strconv.FormatInt(expire, 10) + `,"TLS.time":` + strconv.FormatInt(issued, 10) +
		`,"TLS.sig":"` + base64.StdEncoding.EncodeToString(m.Sum(nil)) + `"}`
}

func gen(t testing.TB, sdkAppID int, k, identifier string, expire int) string {
	t.Helper()
	sig, err := tencentyun.GenUserSig(sdkAppID, k, identifier, expire)
	require.NoError(t, err)
	return sig
}

func code(t testing.TB, err error) protocol.Code {
	t.Helper()
	if err == nil {
		return protocol.OK
	}
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	require.NotEmpty(t, e.Info)
	return e.Code
}

// zlibLevelBits is the FLEVEL field compress/zlib writes in the header for each level.
func zlibLevelBits(level int) byte {
	switch level {
	case zlib.HuffmanOnly, zlib.NoCompression, zlib.BestSpeed:
		return 0
	case 2, 3, 4, 5:
		return 1
	case zlib.DefaultCompression, 6:
		return 2
	}
	return 3
}

// TestTencentLibraryEveryLevel makes sigs with Tencent's Go library at every zlib level it can
// be set to. It changes the library's package variable, so it does not run in parallel.
func TestTencentLibraryEveryLevel(t *testing.T) {
	saved := tencentyun.DefaultCompressionLevel
	t.Cleanup(func() { tencentyun.DefaultCompressionLevel = saved })
	levels := []int{zlib.HuffmanOnly, zlib.DefaultCompression, zlib.NoCompression, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	v := usersig.NewVerifier(appID, key)
	seen := map[string]bool{}
	for _, level := range levels {
		t.Run(strconv.Itoa(level), func(t *testing.T) {
			tencentyun.DefaultCompressionLevel = level
			// The library pools its zlib writers, which keep the level they were made with; two
			// collections empty a sync.Pool, so the next sig is made by a writer at this level.
			runtime.GC()
			runtime.GC()
			for _, id := range []string{admin, "a", "UserID_001", strings.Repeat("x", 32)} {
				sig := gen(t, appID, key, id, 86400)
				raw, err := tencentAlphabet.DecodeString(sig)
				require.NoError(t, err)
				require.Equal(t, zlibLevelBits(level), raw[1]>>6, "zlib header of a level-%d sig", level)
				require.NoError(t, v.Verify(id, sig, time.Now()))
				require.NoError(t, tencentyun.VerifyUserSig(appID, key, id, sig, time.Now()), "the library's own check")
				seen[sig] = true
			}
			sig := gen(t, appID, key, admin, 86400)
			require.Equal(t, protocol.CodeUserSigIdentifier, code(t, v.Verify("someone", sig, time.Now())))
		})
	}
	require.Greater(t, len(seen), 4, "levels produce different sigs")
}

func TestUserBuf(t *testing.T) {
	v := usersig.NewVerifier(appID, key)
	for name, mk := range map[string]func() (string, error){
		"GenUserSigWithBuf": func() (string, error) {
			return tencentyun.GenUserSigWithBuf(appID, key, admin, 3600, []byte("any buffer \x00\xff"))
		},
		"GenPrivateMapKey": func() (string, error) { return tencentyun.GenPrivateMapKey(appID, key, admin, 3600, 1234, 255) },
		"StringRoomID": func() (string, error) {
			return tencentyun.GenPrivateMapKeyWithStringRoomID(appID, key, admin, 3600, "room", 42)
		},
		"WrongKeyWithAUserBuf": func() (string, error) { return tencentyun.GenUserSigWithBuf(appID, "other", admin, 3600, []byte("b")) },
	} {
		t.Run(name, func(t *testing.T) {
			sig, err := mk()
			require.NoError(t, err)
			want := protocol.OK
			if name == "WrongKeyWithAUserBuf" {
				want = protocol.CodeUserSigMismatch
			}
			require.Equal(t, want, code(t, v.Verify(admin, sig, time.Now())))
		})
	}
	// The HMAC covers the buffer: a buffer changed after signing does not verify.
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("TLS.identifier:" + admin + "\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:3600\nTLS.userbuf:YWJj\n"))
	mac := base64.StdEncoding.EncodeToString(m.Sum(nil))
	doc := `{"TLS.identifier":"` + admin + `","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":3600,"TLS.userbuf":"%s","TLS.sig":"` + mac + `"}`
	at := time.Unix(1700000000, 0)
	require.NoError(t, v.Verify(admin, pack(t, strings.Replace(doc, "%s", "YWJj", 1)), at))
	require.Equal(t, protocol.CodeUserSigMismatch, code(t, v.Verify(admin, pack(t, strings.Replace(doc, "%s", "YWJk", 1)), at)))
}

// TestFailures maps every failure to its code; the cases that break two rules at once show the
// order of the checks (wire.md section 1: 70003, 70014, 70013, 70001, 70009).
func TestFailures(t *testing.T) {
	const issued = 1700000000
	now := time.Unix(issued+100, 0)
	good := pack(t, signed(key, admin, appID, issued, 3600))
	notZlib := tencentAlphabet.EncodeToString([]byte("plain text, not zlib"))
	full := pack(t, signed(key, admin, appID, issued, 3600))
	raw, _ := tencentAlphabet.DecodeString(full)
	truncated := tencentAlphabet.EncodeToString(raw[:len(raw)-6])
	var bomb bytes.Buffer
	w := zlib.NewWriter(&bomb)
	w.Write([]byte(`{"TLS.identifier":"` + strings.Repeat(" ", 1<<20) + `"}`))
	w.Close()
	tests := []struct {
		name       string
		identifier string
		sig        string
		now        time.Time
		want       protocol.Code
	}{
		{"valid", admin, good, now, protocol.OK},
		{"valid at the last second", admin, good, time.Unix(issued+3600, 0), protocol.OK},
		{"valid before its issue time", admin, good, time.Unix(issued-60, 0), protocol.OK},
		{"padding stripped", admin, strings.TrimRight(good, "_"), now, protocol.OK},

		{"not base64", admin, "not base64 !!!", now, protocol.CodeUserSigUndecodable},
		{"standard base64 alphabet", admin, strings.NewReplacer("*", "+", "-", "/").Replace(good) + "+/", now, protocol.CodeUserSigUndecodable},
		{"not zlib", admin, notZlib, now, protocol.CodeUserSigUndecodable},
		{"truncated zlib", admin, truncated, now, protocol.CodeUserSigUndecodable},
		{"inflates too far", admin, tencentAlphabet.EncodeToString(bomb.Bytes()), now, protocol.CodeUserSigUndecodable},
		{"not JSON", admin, pack(t, "TLS.identifier=administrator"), now, protocol.CodeUserSigUndecodable},
		{"JSON of the wrong shape", admin, pack(t, `{"TLS.identifier":"administrator","TLS.sdkappid":"1400000000"}`), now, protocol.CodeUserSigUndecodable},
		{"JSON array", admin, pack(t, `["TLS.identifier"]`), now, protocol.CodeUserSigUndecodable},
		{"JSON with trailing data", admin, pack(t, signed(key, admin, appID, issued, 3600)+"x"), now, protocol.CodeUserSigUndecodable},
		{"duplicate members", admin, pack(t, `{"TLS.identifier":"a","TLS.identifier":"b"}`), now, protocol.CodeUserSigUndecodable},

		{"another SDKAppID", admin, pack(t, signed(key, admin, appID+1, issued, 3600)), now, protocol.CodeUserSigAppID},
		{"no SDKAppID", admin, pack(t, `{"TLS.identifier":"administrator"}`), now, protocol.CodeUserSigAppID},
		{"another SDKAppID and identifier", "b", pack(t, signed(key, admin, appID+1, issued, 3600)), now, protocol.CodeUserSigAppID},

		{"another identifier", "other", good, now, protocol.CodeUserSigIdentifier},
		{"identifier differs in case", "Administrator", good, now, protocol.CodeUserSigIdentifier},
		{"another identifier and expired", "other", good, time.Unix(issued+3601, 0), protocol.CodeUserSigIdentifier},

		{"expired", admin, good, time.Unix(issued+3601, 0), protocol.CodeUserSigExpired},
		{"expired and wrong key", admin, pack(t, signed("other key", admin, appID, issued, 3600)), time.Unix(issued+3601, 0), protocol.CodeUserSigExpired},
		{"negative lifetime", admin, pack(t, signed(key, admin, appID, issued, -1)), time.Unix(issued, 0), protocol.CodeUserSigExpired},

		{"wrong key", admin, pack(t, signed("other key", admin, appID, issued, 3600)), now, protocol.CodeUserSigMismatch},
		{"lifetime changed after signing", admin, pack(t, strings.Replace(signed(key, admin, appID, issued, 3600), `"TLS.expire":3600`, `"TLS.expire":36000`, 1)), now, protocol.CodeUserSigMismatch},
		{"HMAC not base64", admin, pack(t, strings.Replace(signed(key, admin, appID, issued, 3600), `"TLS.sig":"`, `"TLS.sig":"%`, 1)), now, protocol.CodeUserSigMismatch},
		{"HMAC missing", admin, pack(t, `{"TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":3600}`), now, protocol.CodeUserSigMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := usersig.NewVerifier(appID, key)
			require.Equal(t, tc.want, code(t, v.Verify(tc.identifier, tc.sig, tc.now)))
		})
	}
}

// TestTencentLibraryMisreportsJSON pins the library behaviour wire.md section 7 warns about: it
// reports a sig whose JSON does not parse as an SDKAppID mismatch. This package says 70003.
func TestTencentLibraryMisreportsJSON(t *testing.T) {
	sig := pack(t, `{"TLS.identifier":"administrator","TLS.sdkappid":"not a number"}`)
	require.ErrorIs(t, tencentyun.VerifyUserSig(appID, key, admin, sig, time.Now()), tencentyun.ErrSdkAppIDNotMatch)
	require.Equal(t, protocol.CodeUserSigUndecodable, code(t, usersig.NewVerifier(appID, key).Verify(admin, sig, time.Now())))
}

// TestLibraryFailuresMapped makes each failure with Tencent's own library.
func TestLibraryFailuresMapped(t *testing.T) {
	v := usersig.NewVerifier(appID, key)
	now := time.Now()
	require.Equal(t, protocol.CodeUserSigAppID, code(t, v.Verify(admin, gen(t, appID+1, key, admin, 3600), now)))
	require.Equal(t, protocol.CodeUserSigIdentifier, code(t, v.Verify(admin, gen(t, appID, key, "someone", 3600), now)))
	require.Equal(t, protocol.CodeUserSigExpired, code(t, v.Verify(admin, gen(t, appID, key, admin, 60), now.Add(2*time.Minute))))
	require.Equal(t, protocol.CodeUserSigMismatch, code(t, v.Verify(admin, gen(t, appID, "wrong key", admin, 3600), now)))
}

// TestCache checks that a cached sig never outlives its expiry and is never accepted for
// another identifier, and that sigs that failed are not remembered as good.
func TestCache(t *testing.T) {
	const issued = 1700000000
	v := usersig.NewVerifier(appID, key)
	sig := pack(t, signed(key, admin, appID, issued, 100))
	for i := 0; i < 3; i++ {
		require.NoError(t, v.Verify(admin, sig, time.Unix(issued+50, 0)))
		require.NoError(t, v.Verify(admin, sig, time.Unix(issued+100, 0)))
		require.Equal(t, protocol.CodeUserSigIdentifier, code(t, v.Verify("other", sig, time.Unix(issued+50, 0))))
		require.Equal(t, protocol.CodeUserSigIdentifier, code(t, v.Verify("", sig, time.Unix(issued+50, 0))))
		require.Equal(t, protocol.CodeUserSigExpired, code(t, v.Verify(admin, sig, time.Unix(issued+101, 0))))
	}
	// A sig that failed once fails again; one that was expired is not valid earlier on the
	// strength of the failure either (failures are not cached).
	bad := pack(t, signed("wrong", admin, appID, issued, 100))
	for i := 0; i < 2; i++ {
		require.Equal(t, protocol.CodeUserSigMismatch, code(t, v.Verify(admin, bad, time.Unix(issued, 0))))
	}
	late := pack(t, signed(key, admin, appID, issued, 10))
	require.Equal(t, protocol.CodeUserSigExpired, code(t, v.Verify(admin, late, time.Unix(issued+11, 0))))
	require.NoError(t, v.Verify(admin, late, time.Unix(issued+10, 0)))
}

// TestConcurrent verifies from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	v := usersig.NewVerifier(appID, key)
	sigs := []string{gen(t, appID, key, admin, 3600), gen(t, appID, key, "b", 3600), gen(t, appID, "x", admin, 3600)}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				now := time.Now()
				if err := v.Verify(admin, sigs[0], now); err != nil {
					t.Error(err)
				}
				if err := v.Verify("b", sigs[1], now); err != nil {
					t.Error(err)
				}
				if v.Verify(admin, sigs[2], now) == nil {
					t.Error("a sig made with another key verified")
				}
				if v.Verify("b", sigs[0], now) == nil {
					t.Error("a cached sig verified for another identifier")
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkVerify(b *testing.B) {
	sig := gen(b, appID, key, admin, 86400)
	now := time.Now()
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := usersig.NewVerifier(appID, key).Verify(admin, sig, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		v := usersig.NewVerifier(appID, key)
		require.NoError(b, v.Verify(admin, sig, now))
		b.ReportAllocs()
		for b.Loop() {
			if err := v.Verify(admin, sig, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached-parallel", func(b *testing.B) {
		v := usersig.NewVerifier(appID, key)
		require.NoError(b, v.Verify(admin, sig, now))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := v.Verify(admin, sig, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// TestNodeLibrary verifies sigs made by Tencent's Node library (npm tls-sig-api-v2, zlib's
// default level, '_' padding), kept in testdata/node_sigs.json with the script that wrote them
// (testdata/node_sigs.js); each is checked at its issue time and just after its expiry.
func TestNodeLibrary(t *testing.T) {
	raw, err := os.ReadFile("testdata/node_sigs.json")
	require.NoError(t, err)
	var fixture struct {
		SDKAppID uint64 `json:"sdkappid"`
		Key      string `json:"key"`
		Sigs     []struct {
			Kind       string `json:"kind"`
			Identifier string `json:"identifier"`
			Time       int64  `json:"time"`
			Expire     int64  `json:"expire"`
			Sig        string `json:"sig"`
		} `json:"sigs"`
	}
	require.NoError(t, json.Unmarshal(raw, &fixture))
	require.Len(t, fixture.Sigs, 5)
	v := usersig.NewVerifier(fixture.SDKAppID, fixture.Key)
	for _, s := range fixture.Sigs {
		t.Run(s.Kind, func(t *testing.T) {
			require.NoError(t, v.Verify(s.Identifier, s.Sig, time.Unix(s.Time, 0)))
			require.NoError(t, v.Verify(s.Identifier, s.Sig, time.Unix(s.Time+s.Expire, 0)))
			require.Equal(t, protocol.CodeUserSigExpired, code(t, v.Verify(s.Identifier, s.Sig, time.Unix(s.Time+s.Expire+1, 0))))
			require.Equal(t, protocol.CodeUserSigIdentifier, code(t, v.Verify("someone else", s.Sig, time.Unix(s.Time, 0))))
			require.Equal(t, protocol.CodeUserSigMismatch, code(t, usersig.NewVerifier(fixture.SDKAppID, "another key").Verify(s.Identifier, s.Sig, time.Unix(s.Time, 0))))
			require.Equal(t, protocol.CodeUserSigAppID, code(t, usersig.NewVerifier(fixture.SDKAppID+1, fixture.Key).Verify(s.Identifier, s.Sig, time.Unix(s.Time, 0))))
		})
	}
}
