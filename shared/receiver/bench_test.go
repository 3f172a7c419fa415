package receiver

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

// The Sign vector's delivery of Follow.CallbackAfterFollowDelete.
const (
	benchQuery = "SdkAppid=1400000000&CallbackCommand=Follow.CallbackAfterFollowDelete&contenttype=json&ClientIP=127.0.0.1" +
		"&OptPlatform=RESTAPI&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112"
	benchTime = 1669872112
)

func benchReceiver(b *testing.B, databaseURL string) *Receiver {
	b.Helper()
	cfg := config.Receiver{SDKAppID: 1400000000, Tokens: []string{"xxxxyyyy"}, MaxSkew: time.Minute}
	var r *Receiver
	var err error
	if databaseURL == "" {
		r, err = New(cfg, nil, nil, nil, Handlers{})
	} else {
		st, oerr := sqlstore.Open(context.Background(), databaseURL)
		if oerr != nil {
			b.Fatal(oerr)
		}
		b.Cleanup(func() { st.Close() })
		r, err = New(cfg, st, nil, nil, Handlers{})
	}
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// followDelete is the body of the n-th distinct unfollow event.
func followDelete(n int64) []byte {
	b := []byte(`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002","UserID_`)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `"],"EventTime":`...)
	b = strconv.AppendInt(b, 1702018343678+n, 10)
	return append(b, '}')
}

// BenchmarkVerify is the query check alone: parse, SdkAppid, command, window and Sign.
func BenchmarkVerify(b *testing.B) {
	r := benchReceiver(b, "")
	now := time.Unix(benchTime, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, ref := r.checkQuery("", benchQuery, now); ref != nil {
			b.Fatal(ref)
		}
	}
}

// BenchmarkVerifyDecode is the whole check of an HTTP delivery without the store: method,
// query, Sign, body read, JSON checks and typed decode.
func BenchmarkVerifyDecode(b *testing.B) {
	r := benchReceiver(b, "")
	now := time.Unix(benchTime, 0)
	body := followDelete(1)
	u := &url.URL{RawQuery: benchQuery}
	b.ReportAllocs()
	for b.Loop() {
		req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		if _, ref := r.verify(req, "", now); ref != nil {
			b.Fatal(ref)
		}
	}
}

// BenchmarkReceive is verify + decode + record (log, dedup, mirror) of distinct
// Follow.CallbackAfterFollowDelete events on an SQLite file, one at a time.
func BenchmarkReceive(b *testing.B) {
	r := benchReceiver(b, "sqlite:"+filepath.Join(b.TempDir(), "receiver.db"))
	now := time.Unix(benchTime, 0)
	r.now = func() time.Time { return now }
	u := &url.URL{RawQuery: benchQuery}
	ctx := context.Background()
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		n++
		req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(followDelete(n)))}
		d, ref := r.verify(req, protocol.CallbackAfterFollowDelete, now)
		if ref != nil {
			b.Fatal(ref)
		}
		if status, answer := r.process(ctx, d); status != http.StatusOK {
			b.Fatalf("%d %s", status, answer)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReceiveParallel is BenchmarkReceive with concurrent deliveries, as an HTTP server
// sees them: checks run in parallel while SQLite's one writer records.
func BenchmarkReceiveParallel(b *testing.B) {
	r := benchReceiver(b, "sqlite:"+filepath.Join(b.TempDir(), "receiver.db"))
	now := time.Unix(benchTime, 0)
	r.now = func() time.Time { return now }
	u := &url.URL{RawQuery: benchQuery}
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(followDelete(n.Add(1))))}
			d, ref := r.verify(req, protocol.CallbackAfterFollowDelete, now)
			if ref != nil {
				b.Fatal(ref)
			}
			if status, answer := r.process(ctx, d); status != http.StatusOK {
				b.Fatalf("%d %s", status, answer)
			}
		}
	})
	b.ReportMetric(float64(n.Load())/b.Elapsed().Seconds(), "events/s")
}
