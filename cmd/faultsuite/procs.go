package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	json "github.com/go-json-experiment/json"
)

// functions are the binaries the suite builds and runs.
var functions = []string{"follow-add", "follow-delete", "multiaccount-import", "webhook-dispatch", "callback"}

// build compiles the function binaries into dir.
func build(dir string) error {
	for _, f := range functions {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, f), "./functions/"+f+"/main")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %w: %s", f, err, out)
		}
	}
	return nil
}

// proc is one function binary running in HTTP mode.
type proc struct {
	name string
	bin  string
	port int
	env  []string
	log  string
	cmd  *exec.Cmd
}

func (p *proc) url() string { return fmt.Sprintf("http://127.0.0.1:%d", p.port) }

// start runs the binary and waits until GET /healthz answers 200 (its store is open).
func (p *proc) start(ctx context.Context) error {
	logf, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	p.cmd = exec.Command(p.bin)
	p.cmd.Env = append(os.Environ(), append(p.env, fmt.Sprintf("PORT=%d", p.port))...)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	go func() { p.cmd.Wait(); logf.Close() }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		resp, err := http.Get(p.url() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s on port %d did not become healthy (log %s)", p.name, p.port, p.log)
}

// kill9 kills the process with SIGKILL.
func (p *proc) kill9() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
	}
}

// faults is what the proxy in front of the receiver does to the webhooks it passes on.
type faults struct {
	slowKeys atomic.Bool  // requests of 30 % of the keys are delayed by up to maxDelay
	fail500  atomic.Int64 // per mille of requests answered 500 without reaching the receiver
	drop     atomic.Int64 // per mille of connections closed without an answer
}

const maxDelay = 3 * time.Second

// slowKey tells the keys the slow receiver is slow for: 30 % of them, by a hash.
func slowKey(key string) bool {
	h := fnv.New32a()
	io.WriteString(h, key)
	return h.Sum32()%10 < 3
}

// eventKey is the order key of a webhook body: its From_Account or Official_Account.
func eventKey(body []byte) string {
	var v struct {
		From     string `json:"From_Account"`
		Official string `json:"Official_Account"`
	}
	json.Unmarshal(body, &v)
	if v.From != "" {
		return v.From
	}
	return v.Official
}

// proxy serves on ln, passing requests to target with the faults f.
func proxy(ln net.Listener, target string, f *faults) *http.Server {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = log.New(io.Discard, "", 0) // a killed receiver is expected: 502, retried
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if n := f.drop.Load(); n > 0 && rand.Int64N(1000) < n {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		}
		if n := f.fail500.Load(); n > 0 && rand.Int64N(1000) < n {
			w.WriteHeader(500)
			return
		}
		if f.slowKeys.Load() && slowKey(eventKey(body)) {
			select {
			case <-time.After(time.Duration(rand.Int64N(int64(maxDelay)))):
			case <-r.Context().Done():
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	return srv
}
