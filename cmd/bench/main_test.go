package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBenchRuns runs every scenario briefly: each measures requests without errors, and the
// JSON report carries the ratios against the baseline.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the local server for a few seconds")
	}
	var out, progress bytes.Buffer
	o := options{clients: 4, duration: 150 * time.Millisecond, addr: "127.0.0.1:0", json: true, celebrity: 1000}
	require.NoError(t, run(context.Background(), o, &out, &progress))
	var rep report
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	require.Len(t, rep.Results, len(scenarios()))
	for _, r := range rep.Results {
		require.Positive(t, r.Requests, r.Name)
		require.Zero(t, r.Errors, r.Name)
		require.Positive(t, r.RPSRatio, r.Name)
	}
	require.Equal(t, 1.0, rep.Results[0].RPSRatio, "the baseline is the unit")
	require.Contains(t, progress.String(), "bench: 1/")
}

// TestBenchPortTaken: a taken port is a clear error, not a hang.
func TestBenchPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	o := options{clients: 1, duration: 10 * time.Millisecond, addr: ln.Addr().String(), only: "follow_check"}
	err = run(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "port taken"), err.Error())
}
