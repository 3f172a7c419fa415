// Package jsonbody reads and decodes request bodies strictly, so that every malformed input maps
// to a documented code instead of a panic or a silent guess.
//
// Checks come in the order of docs/wire.md section 1: the body must be one JSON object of valid
// UTF-8 with unique member names (60003, Check); then Decode checks that every account-ID member
// the request type defines, at the place it defines it, is a string or an array of strings where
// the type holds a list of IDs (60015), and reports wrong shapes with the service's parameter
// code. Unknown members are ignored wherever they appear, whatever they hold (docs/wire.md
// section 7): the account rule follows the request type, not the member names of the body.
//
// Internal to this module: not a supported API for other modules.
package jsonbody

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// MaxSize is the largest body accepted, in bytes. The largest legal request (100 accounts with
// 500-byte profiles) is about 110 KB; anything above 1 MiB is refused without reading it whole.
const MaxSize = 1 << 20

// accountName tells whether a member named name holds account IDs when a request type defines
// it as a string or a list of strings (docs/wire.md section 7: 60015 applies to all of them;
// Official_Account and OfficialAccountUserID are IDs of official accounts, which Tencent also
// keeps as accounts).
func accountName(name string) bool {
	switch name {
	case "To_Account", "Accounts", "SubscriberToDel_Account", "From_Account", "UserID", "Owner_Account",
		"Subscriber_Account", "Official_Account", "OfficialAccountUserID", "Operator_Account":
		return true
	}
	return false
}

// Read reads a whole body of at most MaxSize bytes. A longer body is refused with 60003 after
// reading MaxSize+1 bytes, never more.
func Read(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, envelope.Errorf(protocol.CodeBodyNotObject, "request body is empty: a JSON object is required")
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, envelope.Errorf(protocol.CodeBodyNotObject, "request body could not be read")
	}
	if len(b) > MaxSize {
		return nil, envelope.Errorf(protocol.CodeBodyNotObject, "request body is larger than %d bytes", MaxSize)
	}
	return b, nil
}

// Check verifies that body is one JSON object (60003): valid UTF-8, unique member names, nothing
// after it.
func Check(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body is empty: a JSON object is required")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	kind := dec.PeekKind()
	if _, err := dec.ReadValue(); err != nil {
		return notJSON(err)
	}
	if kind != '{' {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body must be a JSON object")
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body must hold exactly one JSON object")
	}
	return nil
}

// checkAccounts walks a body that passed Check along t, the Go type it decodes into, and returns
// 60015 for the first account member t defines that holds something other than a string (or, for
// a list of IDs, an array of strings). Members t does not define are skipped whole.
func checkAccounts(body []byte, t reflect.Type) error {
	var first *envelope.Error
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	if err := walk(dec, t, &first); err != nil {
		return nil // a syntax error: Check reports those, and the typed decode below again
	}
	if first != nil {
		return first
	}
	return nil
}

// walk reads one value whose Go type is t.
func walk(dec *jsontext.Decoder, t reflect.Type, first **envelope.Error) error {
	t = deref(t)
	switch kind := dec.PeekKind(); {
	case kind == '{' && t.Kind() == reflect.Struct:
		fields := jsonFields(t, nil)
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			name := tok.String()
			ft, ok := fields[name]
			if !ok {
				if err := dec.SkipValue(); err != nil {
					return err
				}
				continue
			}
			if err := member(dec, name, ft, first); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case kind == '{' && t.Kind() == reflect.Map:
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			if err := walk(dec, t.Elem(), first); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case kind == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if err := walk(dec, t.Elem(), first); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	}
	return dec.SkipValue()
}

// member reads the value of the member name, defined by the request type with Go type t.
func member(dec *jsontext.Decoder, name string, t reflect.Type, first **envelope.Error) error {
	t = deref(t)
	one := t.Kind() == reflect.String
	list := (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && deref(t.Elem()).Kind() == reflect.String
	if !accountName(name) || (!one && !list) {
		return walk(dec, t, first)
	}
	kind := dec.PeekKind()
	switch {
	case kind == '"':
		// A string where a list belongs is a shape error, the typed decode's to report.
	case list && kind == '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if *first == nil && dec.PeekKind() != '"' {
				*first = envelope.Errorf(protocol.CodeAccountNotString, "every item of %s must be a string", name)
			}
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case *first == nil:
		*first = envelope.Errorf(protocol.CodeAccountNotString, "%s must be a string", name)
	}
	return dec.SkipValue()
}

// jsonFields adds to m (made when nil) the members struct type t defines, by JSON name, with
// their Go types; embedded structs without a name of their own are inlined, as the decoder does.
func jsonFields(t reflect.Type, m map[string]reflect.Type) map[string]reflect.Type {
	if m == nil {
		m = make(map[string]reflect.Type, t.NumField())
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		if (f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct) || strings.Contains(","+opts+",", ",inline,") {
			jsonFields(deref(f.Type), m)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := m[name]; !taken {
			m[name] = f.Type
		}
	}
	return m
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// HasNUL reports whether a body that passed Check holds U+0000 in any string or member name
// (JSON can only carry it escaped, as \u0000). No store keeps it (docs/wire.md section 7).
func HasNUL(body []byte) bool {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return false // the common case, without decoding
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return false
		}
		if tok.Kind() == '"' && strings.ContainsRune(tok.String(), 0) {
			return true
		}
	}
}

func notJSON(err error) error {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) && syn.Err != nil {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body is not valid JSON: %s", envelope.Echo(syn.Err.Error()))
	}
	return envelope.Errorf(protocol.CodeBodyNotObject, "request body is not valid JSON")
}

// Decode unmarshals a body that passed Check into v. Members are matched case-sensitively and
// unknown members are ignored (Tencent adds fields over time). An account member of v's type that
// is not a string is 60015 (checked first); a member of the wrong JSON type is the service's
// parameter error naming the member.
func Decode(body []byte, v any, s envelope.Service) error {
	if t := reflect.TypeOf(v); t != nil {
		if err := checkAccounts(body, t); err != nil {
			return err
		}
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var sem *json.SemanticError
	if errors.As(err, &sem) {
		field := strings.TrimPrefix(string(sem.JSONPointer), "/")
		if field == "" {
			field = "request body"
		}
		if t := sem.GoType; t != nil {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			return envelope.Errorf(s.ParamCode(), "%s has the wrong type: want %s", envelope.Echo(field), typeName(t.Kind()))
		}
		return envelope.Errorf(s.ParamCode(), "%s is invalid", envelope.Echo(field))
	}
	return envelope.Errorf(s.ParamCode(), "request body does not match the API: %s", envelope.Echo(err.Error()))
}

func typeName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	}
	return "another type"
}
