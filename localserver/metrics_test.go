package localserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// scrape reads GET /metrics and parses it as Prometheus does.
func scrape(t *testing.T, s *servertest.Server) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(s.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	return families
}

// value is the value of the sample of family name whose labels include labels (a histogram's
// count); 0 when there is none.
func value(families map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f := families[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.Metric {
		for k, v := range labels {
			found := false
			for _, lp := range m.Label {
				if lp.GetName() == k && lp.GetValue() == v {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return 0
}

func TestMetricsScrape(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := closedLoop(t, b.URL(t))
			before := scrape(t, s)
			// A fresh server shows every metric.
			for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "chatfollow_webhook_deliveries",
				"chatfollow_rest_requests_total", "chatfollow_rest_request_duration_seconds", "chatfollow_webhook_attempts_total",
				"chatfollow_webhook_delivery_lag_seconds", "chatfollow_receiver_events_total"} {
				assert.Contains(t, before, name)
			}
			assert.Equal(t, 0.0, value(before, "chatfollow_webhook_deliveries", map[string]string{"state": "pending"}))
			assert.Equal(t, 0.0, value(before, "chatfollow_webhook_deliveries", map[string]string{"state": "dead"}))

			s.Import(t, "alice", "bob")
			s.Call(t, "follow/follow_add", `{"From_Account":"alice","FollowItem":[{"To_Account":"bob"}]}`)
			s.Post(t, "/v4/follow/follow_add?sdkappid=1400000000&identifier=administrator", `{}`) // no usersig: 60004
			// A refused webhook: no Sign.
			resp, err := http.Post(s.URL+"/callback?SdkAppid=1&CallbackCommand=Follow.CallbackAfterFollowAdd", "application/json", strings.NewReader(`{}`))
			require.NoError(t, err)
			resp.Body.Close()

			require.Eventually(t, func() bool {
				// The lag is observed last, once the delivery is recorded delivered.
				return value(scrape(t, s), "chatfollow_webhook_delivery_lag_seconds", nil) == 1
			}, 10*time.Second, 20*time.Millisecond)
			after := scrape(t, s)
			assert.Equal(t, 2.0, value(after, "chatfollow_rest_requests_total", map[string]string{"command": "account_import", "error_code": "0"}))
			assert.Equal(t, 1.0, value(after, "chatfollow_rest_requests_total", map[string]string{"command": "follow_add", "error_code": "0"}))
			assert.Equal(t, 1.0, value(after, "chatfollow_rest_requests_total", map[string]string{"command": "follow_add", "error_code": "60004"}))
			assert.Equal(t, 2.0, value(after, "chatfollow_rest_request_duration_seconds", map[string]string{"command": "follow_add"}))
			assert.Equal(t, 1.0, value(after, "chatfollow_webhook_attempts_total", map[string]string{"command": "Follow.CallbackAfterFollowAdd", "result": "delivered"}))
			assert.Equal(t, 1.0, value(after, "chatfollow_receiver_events_total", map[string]string{"command": "Follow.CallbackAfterFollowAdd", "result": "recorded"}))
			assert.Equal(t, 1.0, value(after, "chatfollow_receiver_events_total", map[string]string{"command": "Follow.CallbackAfterFollowAdd", "result": "refused"}))
		})
	}
}
