// Package pgproxy is a TCP proxy for a PostgreSQL server that adds a fixed delay to each
// direction and counts round trips. It puts a network's latency between the service and a
// database on the same machine (cmd/bench -pg-delay), and lets tests count the round trips of
// an operation on the wire, whatever the client library does.
package pgproxy

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards every connection it accepts to one server.
type Proxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	trips  atomic.Int64
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
}

// Start serves ln, forwarding to target (host:port), each chunk delayed by delay in each
// direction (0.25 ms each way is a 0.5 ms round trip).
func Start(ln net.Listener, target string, delay time.Duration) *Proxy {
	p := &Proxy{ln: ln, target: target, delay: delay, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p
}

// URL returns databaseURL (postgres://...) pointed at the proxy, and the server it named.
func URL(databaseURL string, proxy net.Addr) (through, target string, err error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", "", err
	}
	if u.Host == "" {
		return "", "", errors.New("pgproxy: the database URL names no host")
	}
	target = u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	u.Host = proxy.String()
	return u.String(), target, nil
}

// RoundTrips counts, over all connections so far, the times a client sent something after the
// server had answered (or first): requests sent together, pipelined, count once.
func (p *Proxy) RoundTrips() int64 { return p.trips.Load() }

// Close stops accepting, cuts every connection and waits for them.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		if !p.track(client) || !p.track(server) {
			client.Close()
			server.Close()
			continue
		}
		var answered atomic.Bool // the server spoke last: the client's next send is a new trip
		answered.Store(true)
		p.wg.Add(2)
		go p.pump(server, client, func() {
			if answered.Swap(false) {
				p.trips.Add(1)
			}
		})
		go p.pump(client, server, func() { answered.Store(true) })
	}
}

// pump copies src to dst, calling seen on each chunk read, each written delay after it was read.
func (p *Proxy) pump(dst, src net.Conn, seen func()) {
	defer p.wg.Done()
	defer dst.Close()
	defer src.Close()
	if p.delay <= 0 {
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				seen()
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	type chunk struct {
		b  []byte
		at time.Time
	}
	line := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range line {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.b); err != nil {
				dst.Close()
				src.Close()
				for range line {
				}
				return
			}
		}
	}()
	for {
		buf := make([]byte, 64<<10)
		n, err := src.Read(buf)
		if n > 0 {
			seen()
			line <- chunk{buf[:n], time.Now().Add(p.delay)}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				dst.Close()
			}
			break
		}
	}
	close(line)
	<-done
}
