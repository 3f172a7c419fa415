package main

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request builds the i-th request of a scenario (i counts across all clients from 0).
type request func(i int64) (url string, body []byte)

// result is what one scenario measured.
type result struct {
	Name     string  `json:"name"`
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	RPS      float64 `json:"requests_per_second"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	P999     float64 `json:"p99_9_ms"`
	// Ratios against the baseline measured in the same run (1 for the baseline itself).
	RPSRatio float64 `json:"rps_ratio"`
	P99Ratio float64 `json:"p99_ratio"`
	Note     string  `json:"note,omitempty"`
}

// ok tells whether an answer counts as a success.
type ok func(status int, body []byte) bool

// load runs clients keep-alive clients against next for d and measures them.
func load(ctx context.Context, client *http.Client, clients int, d time.Duration, next request, success ok) result {
	var (
		counter   atomic.Int64
		errors    atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		wg        sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := make([]time.Duration, 0, 4096)
			var buf bytes.Buffer
			for ctx.Err() == nil {
				url, body := next(counter.Add(1) - 1)
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errors.Add(1)
					}
					continue
				}
				buf.Reset()
				_, err = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				if ctx.Err() != nil {
					break // the run ended during this request: not counted
				}
				own = append(own, time.Since(t0))
				if err != nil || !success(resp.StatusCode, buf.Bytes()) {
					errors.Add(1)
				}
			}
			mu.Lock()
			latencies = append(latencies, own...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	return result{
		Requests: int64(len(latencies)),
		Errors:   errors.Load(),
		RPS:      float64(len(latencies)) / elapsed.Seconds(),
		P50:      percentile(latencies, 0.50),
		P99:      percentile(latencies, 0.99),
		P999:     percentile(latencies, 0.999),
	}
}

// percentile of sorted latencies, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i]) / float64(time.Millisecond)
}
