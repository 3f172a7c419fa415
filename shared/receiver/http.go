package receiver

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Handler serves the single callback URL Tencent calls: it verifies a delivery once and routes
// it on its CallbackCommand, in-process, to the same handling as CommandHandler.
func (r *Receiver) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { r.serve(w, req, "") })
}

// CommandHandler serves the receiver of command alone: a delivery whose CallbackCommand is
// another is refused (400, 60009). It panics if command is not one of the ten of wire.md.
func (r *Receiver) CommandHandler(command string) http.Handler {
	if !Known(command) {
		panic("receiver: unknown command " + command)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { r.serve(w, req, command) })
}

// Mount serves the receivers on mux as the local server does: the single URL at /callback and
// each command at /callback/<CallbackCommand>, whose query must name the same command.
func (r *Receiver) Mount(mux *http.ServeMux) {
	mux.Handle("/callback", r.Handler())
	mux.HandleFunc("/callback/{command...}", func(w http.ResponseWriter, req *http.Request) {
		cmd := req.PathValue("command")
		if !Known(cmd) {
			writeRefusal(w, badRequest(protocol.CodeUnknownCommand, "%.100q in the path is not a command receivers handle", cmd))
			return
		}
		r.serve(w, req, cmd)
	})
}

// serve handles one HTTP delivery; only, when set, is the one command this URL accepts.
func (r *Receiver) serve(w http.ResponseWriter, req *http.Request, only string) {
	d, ref := r.verify(req, only, r.now())
	if ref != nil {
		writeRefusal(w, ref)
		return
	}
	status, body := r.process(req.Context(), d)
	writeAnswer(w, status, body)
}

// verify makes every check of the package doc on req, in order, and returns the decoded event.
func (r *Receiver) verify(req *http.Request, only string, now time.Time) (*delivery, *refusal) {
	if req.Method != http.MethodPost {
		return nil, badRequest(protocol.CodeBadRequestLine, "webhooks are delivered with POST")
	}
	q, ref := r.checkQuery(only, req.URL.RawQuery, now)
	if ref != nil {
		return nil, ref
	}
	body, err := jsonbody.Read(req.Body)
	if err != nil {
		code, info := envelope.Of(q.cmd.service, err)
		return nil, badRequest(code, "%s", info)
	}
	if ref := r.checkBodySignature(req.Header, body, now); ref != nil {
		return nil, ref
	}
	return r.decode(q, body, now)
}

// decode turns a verified query and body into a delivery.
func (r *Receiver) decode(q query, body []byte, now time.Time) (*delivery, *refusal) {
	b, ref := decodeBody(q, body)
	if ref != nil {
		return nil, ref
	}
	return &delivery{
		cmd:  q.cmd,
		body: b,
		hash: hashBody(body),
		event: Event{
			Command:    q.cmd.name,
			Body:       body,
			EventTime:  time.UnixMilli(eventTimeOf(b)),
			ClientIP:   q.clientIP,
			Platform:   q.platform,
			ReceivedAt: now,
		},
	}, nil
}

func writeRefusal(w http.ResponseWriter, ref *refusal) {
	writeAnswer(w, ref.status, failAnswer(ref.code, ref.info))
}

func writeAnswer(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// failAnswer is a FAIL envelope.
func failAnswer(code protocol.Code, info string) []byte {
	b, err := json.Marshal(answer{ActionStatus: "FAIL", ErrorCode: int(code), ErrorInfo: strings.ToValidUTF8(info, "\uFFFD")})
	if err != nil { // a struct of valid strings always marshals; never reached
		return []byte(`{"ActionStatus":"FAIL","ErrorCode":` + strconv.Itoa(int(code)) + `,"ErrorInfo":"refused"}`)
	}
	return b
}
