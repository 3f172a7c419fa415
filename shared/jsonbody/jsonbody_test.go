package jsonbody_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// counter is an endless body that counts the bytes read from it.
type counter struct{ n int64 }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	c.n += int64(len(p))
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func codeOf(t *testing.T, err error) protocol.Code {
	t.Helper()
	if err == nil {
		return protocol.OK
	}
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	require.NotEmpty(t, e.Info, "every failure says why")
	return e.Code
}

func TestRead(t *testing.T) {
	b, err := jsonbody.Read(strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	require.Equal(t, `{"a":1}`, string(b))

	b, err = jsonbody.Read(bytes.NewReader(make([]byte, jsonbody.MaxSize)))
	require.NoError(t, err, "exactly the limit is accepted")
	require.Len(t, b, jsonbody.MaxSize)

	_, err = jsonbody.Read(bytes.NewReader(make([]byte, jsonbody.MaxSize+1)))
	require.Equal(t, protocol.CodeBodyNotObject, codeOf(t, err))

	// A body of any length is refused after reading one byte past the limit.
	c := &counter{}
	_, err = jsonbody.Read(io.LimitReader(c, 10<<20))
	require.Equal(t, protocol.CodeBodyNotObject, codeOf(t, err))
	require.Equal(t, int64(jsonbody.MaxSize+1), c.n)

	_, err = jsonbody.Read(nil)
	require.Equal(t, protocol.CodeBodyNotObject, codeOf(t, err))
	_, err = jsonbody.Read(failing{})
	require.Equal(t, protocol.CodeBodyNotObject, codeOf(t, err))
}

func TestCheck(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	tests := []struct {
		name string
		body string
		want protocol.Code
		info string // the ErrorInfo, when it is pinned
	}{
		{"object", `{"From_Account":"a","To_Account":["b","c"]}`, protocol.OK, ""},
		{"empty object", `{}`, protocol.OK, ""},
		{"object with whitespace around", " \r\n\t{} \n", protocol.OK, ""},
		{"unknown members of any type", `{"x":[1,{"y":null}],"z":true,"n":-1.5e3}`, protocol.OK, ""},
		{"nesting within the limit", `{"x":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, protocol.OK, ""},
		{"account IDs in item objects", `{"FollowItem":[{"To_Account":"b"}],"CheckItem":[{"UserID":"u"}]}`, protocol.OK, ""},
		{"escaped and non-ASCII strings", `{"From_Account":"\u00e9\ud83d\ude00","Nick":"名字"}`, protocol.OK, ""},

		{"empty", ``, protocol.CodeBodyNotObject, "request body is empty: a JSON object is required"},
		{"whitespace only", " \n\t", protocol.CodeBodyNotObject, "request body is empty: a JSON object is required"},
		{"null", `null`, protocol.CodeBodyNotObject, "request body must be a JSON object"},
		{"array", `[{"From_Account":"a"}]`, protocol.CodeBodyNotObject, "request body must be a JSON object"},
		{"string", `"From_Account"`, protocol.CodeBodyNotObject, "request body must be a JSON object"},
		{"number", `12`, protocol.CodeBodyNotObject, "request body must be a JSON object"},
		{"true", `true`, protocol.CodeBodyNotObject, "request body must be a JSON object"},
		{"two objects", `{}{}`, protocol.CodeBodyNotObject, "request body must hold exactly one JSON object"},
		{"object then garbage", `{} x`, protocol.CodeBodyNotObject, ""},
		{"truncated", `{"From_Account":"a"`, protocol.CodeBodyNotObject, ""},
		{"trailing comma", `{"From_Account":"a",}`, protocol.CodeBodyNotObject, ""},
		{"single quotes", `{'From_Account':'a'}`, protocol.CodeBodyNotObject, ""},
		{"comment", `{/* c */}`, protocol.CodeBodyNotObject, ""},
		{"NaN", `{"n":NaN}`, protocol.CodeBodyNotObject, ""},
		{"duplicate member", `{"From_Account":"a","From_Account":"b"}`, protocol.CodeBodyNotObject, "request body is not valid JSON: duplicate object member name"},
		{"duplicate member nested", `{"FollowItem":[{"To_Account":"a","To_Account":"a"}]}`, protocol.CodeBodyNotObject, "request body is not valid JSON: duplicate object member name"},
		{"duplicate after escaping", `{"a":1,"\u0061":2}`, protocol.CodeBodyNotObject, "request body is not valid JSON: duplicate object member name"},
		{"invalid UTF-8 in a string", "{\"From_Account\":\"\xff\"}", protocol.CodeBodyNotObject, ""},
		{"invalid UTF-8 in a name", "{\"\xc3\x28\":1}", protocol.CodeBodyNotObject, ""},
		{"lone surrogate", `{"From_Account":"\ud800"}`, protocol.CodeBodyNotObject, ""},
		{"byte order mark", "\xef\xbb\xbf{}", protocol.CodeBodyNotObject, ""},
		{"too deep", `{"x":` + deep + `}`, protocol.CodeBodyNotObject, ""},
		{"too deep at top level", deep, protocol.CodeBodyNotObject, ""},
		{"syntax error after an account error", `{"From_Account":1,`, protocol.CodeBodyNotObject, ""},

		{"account number", `{"From_Account":1}`, protocol.CodeAccountNotString, "From_Account must be a string"},
		{"account null", `{"UserID":null}`, protocol.CodeAccountNotString, "UserID must be a string"},
		{"account object", `{"Owner_Account":{}}`, protocol.CodeAccountNotString, "Owner_Account must be a string"},
		{"account boolean", `{"Subscriber_Account":true}`, protocol.CodeAccountNotString, "Subscriber_Account must be a string"},
		{"account array where one ID belongs", `{"From_Account":["a"]}`, protocol.CodeAccountNotString, "From_Account must be a string"},
		{"number in an account list", `{"To_Account":[123]}`, protocol.CodeAccountNotString, "every item of To_Account must be a string"},
		{"null in an account list", `{"Accounts":["a",null]}`, protocol.CodeAccountNotString, "every item of Accounts must be a string"},
		{"nested list in an account list", `{"SubscriberToDel_Account":[["a"]]}`, protocol.CodeAccountNotString, "every item of SubscriberToDel_Account must be a string"},
		{"account number in an item", `{"FollowItem":[{"To_Account":5}]}`, protocol.CodeAccountNotString, "To_Account must be a string"},
		{"account list in an item", `{"FollowItem":[{"To_Account":["b"]}]}`, protocol.CodeAccountNotString, "To_Account must be a string"},
		{"account in a list of items", `{"AccountList":[{"UserID":"a"},{"UserID":7}]}`, protocol.CodeAccountNotString, "UserID must be a string"},
		{"official account", `{"Official_Account":1}`, protocol.CodeAccountNotString, "Official_Account must be a string"},
		{"official account ID", `{"OfficialAccountUserID":[]}`, protocol.CodeAccountNotString, "OfficialAccountUserID must be a string"},
		{"first account error wins", `{"To_Account":[1],"From_Account":2}`, protocol.CodeAccountNotString, "every item of To_Account must be a string"},
		{"names are case-sensitive", `{"from_account":1,"TO_ACCOUNT":[1]}`, protocol.OK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := jsonbody.Check([]byte(tc.body))
			require.Equal(t, tc.want, codeOf(t, err), "%v", err)
			if tc.info != "" {
				require.Equal(t, tc.info, err.(*envelope.Error).Info)
			}
		})
	}
}

type request struct {
	FromAccount *string  `json:"From_Account"`
	ToAccount   []string `json:"To_Account"`
	FollowType  *int     `json:"FollowType"`
	WantNum     int      `json:"WantNum"`
	Items       []struct {
		UserID *string `json:"UserID"`
	} `json:"Items"`
	Flag bool    `json:"Flag"`
	Rate float64 `json:"Rate"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		body string
		info string // "" when it decodes
	}{
		{"all fields", `{"From_Account":"a","To_Account":["b"],"FollowType":1,"WantNum":5,"Items":[{"UserID":"u"}],"Flag":true,"Rate":0.5}`, ""},
		{"unknown members are ignored", `{"From_Account":"a","Extra":{"x":[1,2]}}`, ""},
		{"case-sensitive names: other spellings are unknown", `{"from_account":5,"followtype":"x"}`, ""},
		{"null leaves a field unset", `{"FollowType":null,"WantNum":null}`, ""},
		{"string for an integer", `{"WantNum":"5"}`, "WantNum has the wrong type: want an integer"},
		{"fraction for an integer", `{"FollowType":1.5}`, "FollowType has the wrong type: want an integer"},
		{"exponent for an integer", `{"WantNum":1e2}`, "WantNum has the wrong type: want an integer"},
		{"integer overflow", `{"WantNum":99999999999999999999999}`, "WantNum has the wrong type: want an integer"},
		{"object for an array", `{"Items":{"UserID":"u"}}`, "Items has the wrong type: want an array"},
		{"string for an array", `{"To_Account":"b"}`, "To_Account has the wrong type: want an array"},
		{"array for an object", `{"Items":[[]]}`, "Items/0 has the wrong type: want an object"},
		{"number for a boolean", `{"Flag":1}`, "Flag has the wrong type: want a boolean"},
		{"string for a number", `{"Rate":"0.5"}`, "Rate has the wrong type: want a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, jsonbody.Check([]byte(tc.body)))
			for _, s := range []envelope.Service{envelope.Follow, envelope.Account, envelope.OfficialAccount} {
				var req request
				err := jsonbody.Decode([]byte(tc.body), &req, s)
				if tc.info == "" {
					require.NoError(t, err)
					continue
				}
				require.Equal(t, s.ParamCode(), codeOf(t, err))
				require.Equal(t, tc.info, err.(*envelope.Error).Info)
			}
		})
	}
}
