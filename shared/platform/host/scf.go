package host

import (
	"context"
	"fmt"
	"net/http"

	json "github.com/go-json-experiment/json"
	scfevents "github.com/tencentyun/scf-go-lib/events"
)

// scfHandler answers Tencent SCF event-function invocations (scf-go-lib's Handler).
type scfHandler struct{ in *instance }

// scfAPIGatewayEvent is the event of SCF's API Gateway trigger. Its query string arrives
// decoded, one JSON member per key whose value is a string, an array of strings (a repeated
// key) or true (a key without a value); its headers arrive one value per name.
type scfAPIGatewayEvent struct {
	scfevents.APIGatewayRequest
	IsBase64Encoded bool `json:"isBase64Encoded"`
}

// Invoke implements cloudfunction.Handler.
func (h scfHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev scfAPIGatewayEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	switch {
	case ev.Method != "":
		resp, err := h.in.serveEvent(ctx, requestSCF(&ev))
		if err != nil {
			return nil, err
		}
		return json.Marshal(responseSCF(resp))
	case h.in.fn.Scheduled:
		return []byte("null"), h.in.tickEvent(ctx)
	}
	return nil, errNotHTTP
}

func requestSCF(ev *scfAPIGatewayEvent) *gatewayRequest {
	header := make(http.Header, len(ev.Headers))
	for k, v := range ev.Headers {
		header.Set(k, v)
	}
	return &gatewayRequest{
		method:   ev.Method,
		path:     ev.Path,
		rawQuery: encodeQuery(ev.QueryString),
		header:   header,
		body:     ev.Body,
		base64:   ev.IsBase64Encoded,
		sourceIP: ev.Context.SourceIP,
	}
}

// responseSCF is the answer of an API Gateway trigger with integrated response. Its headers hold
// one value per name: repeated fields are joined with commas, and of Set-Cookie (which no
// function of this project sends) only the first value is kept.
func responseSCF(r response) scfevents.APIGatewayResponse {
	header := singleValued(r.header)
	if c := r.header.Get("Set-Cookie"); c != "" {
		header["Set-Cookie"] = c
	}
	return scfevents.APIGatewayResponse{
		IsBase64Encoded: r.base64,
		StatusCode:      r.status,
		Headers:         header,
		Body:            r.body,
	}
}
