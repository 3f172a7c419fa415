package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"time"
)

// lagTarget marks a missed lag target: a measurement on a shared machine, which fails the run
// only with -strict-lag (invariants always fail it).
const lagTarget = "lag target missed: "

// check verifies the invariants after a scenario drained and prints its line of results.
func check(ctx context.Context, e *env, app *sql.DB, w *workload, sc scenario, faultAt time.Time, pending int, drained time.Duration, out io.Writer) ([]string, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if pending > 0 {
		bad("%d deliveries still pending after %v", pending, drained.Round(time.Second))
	}

	// Counts equal edges.
	var wrongCounts int
	if err := app.QueryRowContext(ctx, `SELECT count(*) FROM accounts a WHERE
		following_count <> (SELECT count(*) FROM follows f WHERE f.from_id = a.user_id) OR
		follower_count <> (SELECT count(*) FROM follows f WHERE f.to_id = a.user_id) OR
		mutual_count <> (SELECT count(*) FROM follows f JOIN follows r ON r.from_id = f.to_id AND r.to_id = f.from_id WHERE f.from_id = a.user_id)`).Scan(&wrongCounts); err != nil {
		return nil, err
	}
	if wrongCounts > 0 {
		bad("%d accounts whose counts differ from their edges", wrongCounts)
	}

	source, err := edges(ctx, app, `SELECT from_id, to_id FROM follows`)
	if err != nil {
		return nil, err
	}
	// Every successful answer is in the final state.
	unreflected := 0
	for ed, present := range w.last {
		if source[ed] != present {
			unreflected++
		}
	}
	if unreflected > 0 {
		bad("%d edges whose last successful answer is not the final state", unreflected)
	}

	rcv, err := sql.Open("pgx", e.rcvURL)
	if err != nil {
		return nil, err
	}
	defer rcv.Close()
	mirror, err := edges(ctx, rcv, `SELECT from_id, to_id FROM receiver_follows WHERE present`)
	if err != nil {
		return nil, err
	}
	diff := 0
	for ed := range source {
		if !mirror[ed] {
			diff++
		}
	}
	for ed := range mirror {
		if !source[ed] {
			diff++
		}
	}
	if diff > 0 {
		bad("the receiver's mirror differs from the source by %d edges", diff)
	}

	var dead int
	if err := app.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE state = 2`).Scan(&dead); err != nil {
		return nil, err
	}
	if dead > 0 {
		bad("%d dead letters", dead)
	}

	// Every committed change in the receiver's log exactly once.
	type audited struct {
		key     string
		created int64
	}
	committed := map[string]audited{}
	merged := 0
	rows, err := app.QueryContext(ctx, `SELECT command, body, order_key, created_at FROM fault_audit`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var cmd, body, key string
		var created int64
		if err := rows.Scan(&cmd, &body, &key, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if _, dup := committed[cmd+body]; dup {
			merged++ // two committed changes with one body: the receiver takes them for one
		}
		committed[cmd+body] = audited{key, created}
	}
	rows.Close()
	if merged > 0 {
		bad("%d committed changes share their body with another (merged)", merged)
	}
	received := map[string]int64{}
	var redelivered int64
	rows, err = rcv.QueryContext(ctx, `SELECT command, body, received_at, deliveries FROM receiver_events`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var cmd, body string
		var at, n int64
		if err := rows.Scan(&cmd, &body, &at, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if _, dup := received[cmd+body]; dup {
			bad("logged twice: %s", body)
		}
		received[cmd+body] = at
		redelivered += n - 1
	}
	rows.Close()
	missing, extra := 0, 0
	var lag, lagOthers []float64
	for k, a := range committed {
		at, ok := received[k]
		if !ok {
			missing++
			continue
		}
		ms := float64(at - a.created)
		lag = append(lag, ms)
		if !slowKey(a.key) {
			lagOthers = append(lagOthers, ms)
		}
	}
	for k := range received {
		if _, ok := committed[k]; !ok {
			extra++
		}
	}
	if missing > 0 || extra > 0 {
		bad("receiver log: %d committed changes missing, %d events never committed", missing, extra)
	}
	slices.Sort(lag)
	slices.Sort(lagOthers)

	recovery := "-"
	if !faultAt.IsZero() {
		recovery = "0s"
		if last := w.lastErr.Load(); last > faultAt.UnixNano() {
			recovery = time.Duration(last - faultAt.UnixNano()).Round(10 * time.Millisecond).String()
		}
	}
	var lat []float64
	for _, d := range w.lat {
		lat = append(lat, float64(d.Microseconds())/1000)
	}
	slices.Sort(lat)
	fmt.Fprintf(out, "%-16s calls %6d  client errors %4d  recovery %-7s  REST p50 %6.1f ms p99 %7.1f ms | events %6d  redelivered %4d  lag p50 %5.0f ms p99 %5.0f ms",
		sc.name, w.calls.Load(), w.errs.Load(), recovery, percentile(lat, .5), percentile(lat, .99), len(committed), redelivered, percentile(lag, .5), percentile(lag, .99))
	if sc.name == "slow-receiver" {
		fmt.Fprintf(out, "  other keys p50 %5.0f ms p99 %5.0f ms", percentile(lagOthers, .5), percentile(lagOthers, .99))
		if p := percentile(lagOthers, .99); p >= 5000 {
			bad(lagTarget+"other keys' lag p99 %.0f ms, target < 5000 ms", p)
		}
	}
	if sc.name == "hot-key" {
		if p := percentile(lag, .99); p >= 1500 {
			bad(lagTarget+"hot-key lag p99 %.0f ms, target < 1500 ms", p)
		}
	}
	fmt.Fprintf(out, " | edges %d, mirror diff %d, merged %d, dead %d, missing %d, drained in %v\n",
		len(source), diff, merged, dead, missing, drained.Round(100*time.Millisecond))
	return problems, nil
}

func edges(ctx context.Context, db *sql.DB, q string) (map[edge]bool, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[edge]bool{}
	for rows.Next() {
		var ed edge
		if err := rows.Scan(&ed.from, &ed.to); err != nil {
			return nil, err
		}
		out[ed] = true
	}
	return out, rows.Err()
}
