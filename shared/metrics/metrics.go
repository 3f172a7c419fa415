// Package metrics is the Prometheus instrumentation of one process (docs/product.md, GET
// /metrics): a registry of its own, never the global default one, passed down through the App.
// It counts REST calls, webhook attempts and deliveries, and receiver events, reads the
// outbox's pending and dead counts from the store at scrape time, and adds the Go runtime and
// process collectors. On Lambda and SCF, where nothing scrapes, Invocation carries the same facts
// into one JSON log line per invocation.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Metrics is the instrumentation of one process.
type Metrics struct {
	Registry *prometheus.Registry

	restRequests  *prometheus.CounterVec
	restDuration  *prometheus.HistogramVec
	attempts      *prometheus.CounterVec
	lag           prometheus.Histogram
	receiverEvent *prometheus.CounterVec
	attempted     atomic.Int64 // attempts made by this process, for the invocation log
}

// New returns Metrics on a fresh registry with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		restRequests: counter("chatfollow_rest_requests_total",
			"REST calls answered, by command and envelope ErrorCode.", "command", "error_code"),
		restDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chatfollow_rest_request_duration_seconds",
			Help:    "Time to answer a REST call, by command.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"command"}),
		attempts: counter("chatfollow_webhook_attempts_total",
			"Webhook delivery attempts, by command and result.", "command", "result"),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "chatfollow_webhook_delivery_lag_seconds",
			Help:    "Time from a webhook's commit to its acknowledgement by the receiver.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 30, 120, 600, 3600, 6 * 3600, 24 * 3600, 72 * 3600},
		}),
		receiverEvent: counter("chatfollow_receiver_events_total",
			"Webhooks received, by command and result (recorded, duplicate, refused).", "command", "result"),
	}
	m.Registry.MustRegister(m.restRequests, m.restDuration, m.attempts, m.lag, m.receiverEvent,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// counter is a counter named name with the given labels.
func counter(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

// Handler serves the registry in the Prometheus text exposition (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// WatchDeliveries adds chatfollow_webhook_deliveries{state}, read from st at each scrape.
func (m *Metrics) WatchDeliveries(st store.Store) {
	m.Registry.MustRegister(&deliveriesCollector{st: st, desc: prometheus.NewDesc("chatfollow_webhook_deliveries",
		"Webhook deliveries in the outbox, by state (pending, dead), read from the store.", []string{"state"}, nil)})
}

// REST records one answered REST call; it is the rest.Gateway's observer.
func (m *Metrics) REST(ctx context.Context, command string, code int, took time.Duration) {
	m.restRequests.WithLabelValues(command, strconv.Itoa(code)).Inc()
	m.restDuration.WithLabelValues(command).Observe(took.Seconds())
	if inv := invocationOf(ctx); inv != nil {
		inv.Command, inv.Code = command, code
	}
}

// Attempt counts one webhook attempt (delivery.Observer).
func (m *Metrics) Attempt(command string, delivered bool) {
	result := "failed"
	if delivered {
		result = "delivered"
	}
	m.attempts.WithLabelValues(command, result).Inc()
	m.attempted.Add(1)
}

// Delivered observes the lag of one delivered webhook (delivery.Observer).
func (m *Metrics) Delivered(lag time.Duration) { m.lag.Observe(lag.Seconds()) }

// Receiver counts one received webhook: result is "recorded", "duplicate" or "refused".
func (m *Metrics) Receiver(command, result string) {
	m.receiverEvent.WithLabelValues(command, result).Inc()
}

// Attempted is how many webhook attempts this process has made.
func (m *Metrics) Attempted() int64 { return m.attempted.Load() }

type deliveriesCollector struct {
	st   store.Store
	desc *prometheus.Desc
}

func (c *deliveriesCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// scrapeTimeout bounds the store read of one scrape.
const scrapeTimeout = 2 * time.Second

func (c *deliveriesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	var s store.DeliveryStats
	if err := c.st.View(ctx, func(tx store.Tx) (err error) { s, err = tx.DeliveryStats(ctx); return err }); err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(s.Pending), "pending")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(s.Dead), "dead")
}

// Known makes every series of the given REST commands and of every webhook command exist at 0,
// so a fresh process already shows every metric and rate() sees the first increase.
func (m *Metrics) Known(restCommands ...string) {
	for _, c := range restCommands {
		m.restRequests.WithLabelValues(c, "0")
		m.restDuration.WithLabelValues(c)
	}
	for _, c := range protocol.CallbackCommands() {
		m.attempts.WithLabelValues(c, "delivered")
		m.attempts.WithLabelValues(c, "failed")
		for _, r := range []string{"recorded", "duplicate", "refused"} {
			m.receiverEvent.WithLabelValues(c, r)
		}
	}
}
