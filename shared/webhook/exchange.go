package webhook

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// MaxRecordedAnswer is how much of an answer's body the delivery history keeps.
const MaxRecordedAnswer = 1 << 10

// Exchange is what one attempt sent and what came back, as the delivery history keeps it.
type Exchange struct {
	Request string        // method, URL and headers sent, with Sign and signatures masked
	Status  int           // HTTP status; 0 when no answer came
	Answer  []byte        // the first MaxRecordedAnswer bytes of the answer's body
	Latency time.Duration // from sending to the end of the answer (or the failure)
}

// masked replaces secrets in the recorded request: Sign proves the token for a minute and the
// body signature for as long as the body is replayable, so neither is shown to operators.
const masked = "***"

func (ex *Exchange) record(req *http.Request) {
	u := *req.URL
	q := u.Query()
	if q.Has("Sign") {
		q.Set("Sign", masked)
	}
	u.RawQuery = q.Encode()
	var b strings.Builder
	b.WriteString(req.Method + " " + u.String() + "\n")
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := strings.Join(req.Header[k], ", ")
		if http.CanonicalHeaderKey(k) == http.CanonicalHeaderKey(standardwebhooks.HeaderWebhookSignature) || k == "Authorization" {
			v = masked
		}
		b.WriteString(k + ": " + v + "\n")
	}
	ex.Request = b.String()
}

// Text is the recorded answer as storable text: valid UTF-8 without U+0000 (PostgreSQL's TEXT
// takes neither invalid bytes nor NUL).
func (ex *Exchange) Text() string {
	s := strings.ToValidUTF8(string(ex.Answer), string(utf8.RuneError))
	return strings.ReplaceAll(s, "\x00", string(utf8.RuneError))
}

// headReader copies the first MaxRecordedAnswer bytes read through it.
type headReader struct {
	io.ReadCloser
	head *[]byte
}

func (h *headReader) Read(p []byte) (int, error) {
	n, err := h.ReadCloser.Read(p)
	if room := MaxRecordedAnswer - len(*h.head); room > 0 && n > 0 {
		*h.head = append(*h.head, p[:min(n, room)]...)
	}
	return n, err
}
