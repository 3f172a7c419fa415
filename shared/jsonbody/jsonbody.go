// Package jsonbody reads and decodes request bodies strictly, so that every malformed input maps
// to a documented code instead of a panic or a silent guess.
//
// Checks come in the order of wire.md section 1: the body must be one JSON object of valid UTF-8
// with unique member names (60003); every account-ID member must be a string or an array of
// strings where a list of IDs belongs (60015); then the typed decode reports wrong shapes with the
// service's parameter code.
package jsonbody

import (
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

// accountMember tells whether a member named name holds account IDs (wire.md section 7: 60015
// applies to all of them; Official_Account and OfficialAccountUserID are IDs of official
// accounts, which Tencent also keeps as accounts), and whether, as a member of the request object
// itself, it holds a list of them (follow_delete's To_Account, multiaccount_import's Accounts,
// delete_subscriber's SubscriberToDel_Account). Everywhere else an account member holds one ID,
// so an array there is an account that is not a string (FollowItem's To_Account is one ID).
func accountMember(name string) (account, list bool) {
	switch name {
	case "To_Account", "Accounts", "SubscriberToDel_Account":
		return true, true
	case "From_Account", "UserID", "Owner_Account", "Subscriber_Account", "Official_Account",
		"OfficialAccountUserID", "Operator_Account":
		return true, false
	}
	return false, false
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

// Check verifies that body is one JSON object (60003) whose account-ID members are strings, or
// arrays of strings where a list of IDs belongs (60015). Syntax is checked over the whole body
// before any account rule.
func Check(body []byte) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body is empty: a JSON object is required")
	}
	dec := jsontext.NewDecoder(strings.NewReader(string(body)))
	if dec.PeekKind() != '{' {
		if _, err := dec.ReadValue(); err != nil {
			return notJSON(err)
		}
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body must be a JSON object")
	}
	var first *envelope.Error // the first account rule broken; reported only if the syntax holds
	if err := walk(dec, "", 0, &first); err != nil {
		return notJSON(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body must hold exactly one JSON object")
	}
	if first != nil {
		return first
	}
	return nil
}

// walk reads one value, recording in first the first account member that is not a string (or,
// for a list member of the request object, an array of strings). member is the name the value
// belongs to ("" inside arrays of non-accounts); depth is 1 for members of the request object.
func walk(dec *jsontext.Decoder, member string, depth int, first **envelope.Error) error {
	kind := dec.PeekKind()
	account, listMember := accountMember(member)
	list := kind == '[' && depth == 1 && listMember
	if account && *first == nil && kind != '"' && !list {
		*first = envelope.Errorf(protocol.CodeAccountNotString, "%s must be a string", member)
	}
	switch kind {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != '}' {
			name, err := dec.ReadToken()
			if err != nil {
				return err
			}
			if err := walk(dec, name.String(), depth+1, first); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			if list && *first == nil && dec.PeekKind() != '"' {
				*first = envelope.Errorf(protocol.CodeAccountNotString, "every item of %s must be a string", member)
			}
			if err := walk(dec, "", depth+1, first); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	default:
		_, err := dec.ReadValue()
		return err
	}
}

func notJSON(err error) error {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) && syn.Err != nil {
		return envelope.Errorf(protocol.CodeBodyNotObject, "request body is not valid JSON: %v", syn.Err)
	}
	return envelope.Errorf(protocol.CodeBodyNotObject, "request body is not valid JSON")
}

// Decode unmarshals a body that passed Check into v. Members are matched case-sensitively and
// unknown members are ignored (Tencent adds fields over time); a member of the wrong JSON type is
// the service's parameter error naming the member.
func Decode(body []byte, v any, s envelope.Service) error {
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
			return envelope.Errorf(s.ParamCode(), "%s has the wrong type: want %s", field, typeName(t.Kind()))
		}
		return envelope.Errorf(s.ParamCode(), "%s is invalid", field)
	}
	return envelope.Errorf(s.ParamCode(), "request body does not match the API: %v", err)
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
