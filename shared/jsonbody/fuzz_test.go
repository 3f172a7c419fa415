package jsonbody_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// FuzzBody checks request decoding on any bytes: Check accepts exactly the bodies that are one
// JSON object (valid UTF-8, unique names), refusing the others with 60003; what it accepts either
// breaks an account rule (60015) or decodes into every request type of the REST operations, or
// fails there with the service's parameter code. Nothing panics; every failure says why.
//
// The seed corpus is in testdata/fuzz/FuzzBody and runs with every go test.
func FuzzBody(f *testing.F) {
	f.Add([]byte(`{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`))
	f.Fuzz(fuzzOne)
}

func fuzzOne(t *testing.T, body []byte) {
	{
		err := jsonbody.Check(body)
		object := isObject(body)
		if err != nil {
			var e *envelope.Error
			if !errors.As(err, &e) || e.Info == "" || !utf8.ValidString(e.Info) {
				t.Fatalf("Check(%q) = %v: want an *envelope.Error with a readable Info", body, err)
			}
			switch e.Code {
			case protocol.CodeBodyNotObject:
				if object {
					t.Fatalf("Check(%q) = 60003 for a JSON object", body)
				}
			case protocol.CodeAccountNotString:
				if !object {
					t.Fatalf("Check(%q) = 60015 for a body that is not one JSON object", body)
				}
			default:
				t.Fatalf("Check(%q) = code %d", body, e.Code)
			}
			return
		}
		if !object {
			t.Fatalf("Check(%q) accepted a body that is not one JSON object", body)
		}
		for _, c := range []struct {
			service envelope.Service
			v       any
		}{
			{envelope.Follow, new(protocol.FollowAddRequest)},
			{envelope.Follow, new(protocol.FollowDeleteRequest)},
			{envelope.Follow, new(protocol.FollowGetRequest)},
			{envelope.Account, new(protocol.AccountImportRequest)},
			{envelope.Account, new(protocol.MultiAccountImportRequest)},
			{envelope.Account, new(protocol.AccountCheckRequest)},
			{envelope.Account, new(protocol.AccountDeleteRequest)},
		} {
			err := jsonbody.Decode(body, c.v, c.service)
			if err == nil {
				continue
			}
			var e *envelope.Error
			if !errors.As(err, &e) || e.Code != c.service.ParamCode() || e.Info == "" || !utf8.ValidString(e.Info) {
				t.Fatalf("Decode(%q, %T) = %v: want the parameter code %d with a readable Info", body, c.v, err, c.service.ParamCode())
			}
		}
	}
}

// isObject is the independent oracle: the body, less JSON whitespace around it, is one valid
// JSON object with unique member names.
func isObject(body []byte) bool {
	v := jsontext.Value(bytes.Trim(body, " \t\r\n"))
	return v.IsValid() && v.Kind() == '{'
}
