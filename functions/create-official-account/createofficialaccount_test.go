package createofficialaccount_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/shared/official/officialtest"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// docSample is the request of Tencent's documentation of create_official_account.
const docSample = `{
	"OfficialAccountUserID": "@TOA#_test_id",
	"Owner_Account": "107867",
	"CustomString": "test_custom_string",
	"FaceUrl": "http://this.is.face.url",
	"Introduction": "This is test Introduction",
	"MaxSubscriberNum": 1000,
	"Name": "test_official_account",
	"Organization": "test_organization"
}`

var generated = regexp.MustCompile(`^@TOA#_@TOA#[A-Za-z0-9]{8}$`)

// body is a create request for owner 107867 with the given members added (and Name "n" unless
// they have one).
func body(members string) string {
	out := `{"Owner_Account":"107867"`
	if !strings.Contains(members, `"Name"`) {
		out += `,"Name":"n"`
	}
	if members != "" {
		out += "," + members
	}
	return out + "}"
}

func TestCreate(t *testing.T) {
	chinese50 := strings.Repeat("公", 50) // 150 bytes in UTF-8
	cases := []struct {
		name string
		body string
		code int    // 0: success
		want string // the answer on success; "" when the ID is generated
	}{
		{"documentation sample", docSample, 0, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"@TOA#_test_id"}`},
		{"the sample's ID again is taken", docSample, 130008, ""},
		{"generated ID", body(""), 0, ""},
		{"48-byte custom ID", body(`"OfficialAccountUserID":"@TOA#_` + strings.Repeat("x", 42) + `"`), 0,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"@TOA#_` + strings.Repeat("x", 42) + `"}`},
		{"custom ID with printable punctuation and space", body(`"OfficialAccountUserID":"@TOA#_a b~!"`), 0,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"@TOA#_a b~!"}`},
		{"Name of 50 Chinese characters (150 bytes)", body(`"Name":"` + chinese50 + `"`), 0, ""},
		{"limits exactly", body(`"Introduction":"` + strings.Repeat("i", 400) + `","FaceUrl":"` + strings.Repeat("f", 500) +
			`","Organization":"` + strings.Repeat("o", 500) + `","CustomString":"` + strings.Repeat("c", 3000) + `","MaxSubscriberNum":2147483647`), 0, ""},

		{"49-byte custom ID", body(`"OfficialAccountUserID":"@TOA#_` + strings.Repeat("x", 43) + `"`), 130007, ""},
		{"custom ID without the prefix", body(`"OfficialAccountUserID":"test_id"`), 130007, ""},
		{"custom ID in the generated form", body(`"OfficialAccountUserID":"@TOA#_@TOA#abcdefgh"`), 130007, ""},
		{"custom ID not ASCII", body(`"OfficialAccountUserID":"@TOA#_公"`), 130007, ""},
		{"custom ID with a control character", body(`"OfficialAccountUserID":"@TOA#_a\tb"`), 130007, ""},
		{"empty custom ID", body(`"OfficialAccountUserID":""`), 130007, ""},
		{"custom ID not a string", body(`"OfficialAccountUserID":5`), 60015, ""},

		{"Owner_Account missing", `{"Name":"n"}`, 6017, ""},
		{"Owner_Account not imported", `{"Owner_Account":"nobody","Name":"n"}`, 6017, ""},
		{"Owner_Account empty", `{"Owner_Account":"","Name":"n"}`, 6017, ""},
		{"Owner_Account over 32 bytes", `{"Owner_Account":"` + strings.Repeat("o", 33) + `","Name":"n"}`, 6017, ""},
		{"Owner_Account not a string", `{"Owner_Account":107867,"Name":"n"}`, 60015, ""},
		{"Name missing", `{"Owner_Account":"107867"}`, 6017, ""},
		{"Name empty", body(`"Name":""`), 6017, ""},
		{"Name of 51 Chinese characters (153 bytes)", body(`"Name":"` + chinese50 + `公"`), 6017, ""},
		{"Name not a string", body(`"Name":1`), 6017, ""},
		{"Introduction over 400 bytes", body(`"Introduction":"` + strings.Repeat("i", 401) + `"`), 6017, ""},
		{"FaceUrl over 500 bytes", body(`"FaceUrl":"` + strings.Repeat("f", 501) + `"`), 6017, ""},
		{"Organization over 500 bytes", body(`"Organization":"` + strings.Repeat("o", 501) + `"`), 6017, ""},
		{"CustomString over 3000 bytes", body(`"CustomString":"` + strings.Repeat("c", 3001) + `"`), 6017, ""},
		{"MaxSubscriberNum 0", body(`"MaxSubscriberNum":0`), 6017, ""},
		{"MaxSubscriberNum negative", body(`"MaxSubscriberNum":-1`), 6017, ""},
		{"MaxSubscriberNum over 32 bits", body(`"MaxSubscriberNum":2147483648`), 6017, ""},
		{"MaxSubscriberNum not an integer", body(`"MaxSubscriberNum":1.5`), 6017, ""},
		{"MaxSubscriberNum a string", body(`"MaxSubscriberNum":"10"`), 6017, ""},
		{"body an array", `[]`, 60003, ""},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867")
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "create_official_account", tc.body)
					if tc.code != 0 {
						ot.RequireFail(t, got, tc.code)
						return
					}
					if tc.want != "" {
						require.JSONEq(t, tc.want, got)
						return
					}
					var resp struct{ OfficialAccountUserID string }
					require.NoError(t, json.Unmarshal([]byte(got), &resp))
					require.Regexp(t, generated, resp.OfficialAccountUserID)
				})
			}

			// The sample's fields were stored as given.
			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_id"}]}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_test_id","ResultCode":0,"ResultInfo":"",
				"CreateTime":0,"Name":"test_official_account","Owner_Account":"107867","LastMsgTime":0,"SubscriberNum":0,
				"Introduction":"This is test Introduction","FaceUrl":"http://this.is.face.url","Organization":"test_organization",
				"CustomString":"test_custom_string","MaxSubscriberNum":1000}]}`, ot.Blank(t, info))
		})
	}
}

func TestCreateDefaultsAndUniqueIDs(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867")
			seen := map[string]bool{}
			for range 50 {
				var resp struct{ OfficialAccountUserID string }
				require.NoError(t, json.Unmarshal([]byte(ot.Call(t, s, "create_official_account", body(""))), &resp))
				require.Regexp(t, generated, resp.OfficialAccountUserID)
				require.False(t, seen[resp.OfficialAccountUserID], "generated IDs are unique")
				seen[resp.OfficialAccountUserID] = true
			}
			for id := range seen {
				info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"`+id+`"}]}`)
				require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
					"Official_Account":"`+id+`","ResultCode":0,"ResultInfo":"",
					"CreateTime":0,"Name":"n","Owner_Account":"107867","LastMsgTime":0,"SubscriberNum":0,
					"Introduction":"","FaceUrl":"","Organization":"","CustomString":"","MaxSubscriberNum":100000}]}`, ot.Blank(t, info),
					"MaxSubscriberNum defaults to 100000; the owner is not subscribed")
				break
			}
		})
	}
}

func TestDestroyedIDIsReusable(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867", "u")
			create := body(`"OfficialAccountUserID":"@TOA#_again","MaxSubscriberNum":5`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"@TOA#_again"}`, ot.Call(t, s, "create_official_account", create))
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_again","SubscriberList":[{"Subscriber_Account":"u"}]}`)
			require.JSONEq(t, ot.OK, ot.Call(t, s, "destroy_official_account", `{"Official_Account":"@TOA#_again"}`))
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"@TOA#_again"}`, ot.Call(t, s, "create_official_account", create))
			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_again"}],
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["SubscriberNum"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_again","ResultCode":0,"ResultInfo":"","SubscriberNum":0}]}`, info,
				"the new official account starts without the old one's subscribers")
		})
	}
}

// TestCreateWebhooks checks the before-create and after-create pair against a real receiver.
func TestCreateWebhooks(t *testing.T) {
	before := `{"CallbackCommand":"OfficialAccount.CallbackBeforeCreateOfficialAccount","Operator_Account":"administrator","Owner_Account":"107867","Name":"%s","EventTime":0}`
	after := `{"CallbackCommand":"OfficialAccount.CallbackAfterCreateOfficialAccount","Operator_Account":"administrator","Official_Account":"%s","Owner_Account":"107867","Name":"%s","EventTime":0}`
	cases := []struct {
		name    string
		answer  func(http.ResponseWriter)
		created bool
	}{
		{"allowed", ot.JSON(webhooktest.OK), true},
		{"refused", ot.JSON(`{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"no"}`), false},
		{"refused with FAIL", ot.JSON(`{"ActionStatus":"FAIL","ErrorCode":12345,"ErrorInfo":"no"}`), false},
		{"timed out", ot.Slow(2 * ot.Timeout), true},
		{"HTTP 500", func(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) }, true},
		{"not an envelope", ot.JSON(`not json`), true},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "107867")
			for i, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					ot.Answering(rcv, ot.Answer{protocol.CallbackBeforeCreateOfficialAccount: tc.answer})
					id := "@TOA#_hook" + string(rune('a'+i))
					name := "name " + tc.name
					start := time.Now()
					got := ot.Call(t, s, "create_official_account", `{"Owner_Account":"107867","Name":"`+name+`","OfficialAccountUserID":"`+id+`"}`)
					if !tc.created {
						ot.RequireFail(t, got, 20006)
						info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"`+id+`"}]}`)
						assert.Contains(t, info, `"ResultCode":130004`, "nothing was created")
					} else {
						require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountUserID":"`+id+`"}`, got)
						if tc.name == "timed out" {
							assert.Less(t, time.Since(start), 5*ot.Timeout, "the call waits no longer than the webhook timeout")
						}
					}
					ot.Drained(t, s)
					var befores, afters []string
					for _, r := range rcv.Requests() {
						var b struct{ Name string }
						require.NoError(t, json.Unmarshal(r.Body, &b))
						if b.Name != name {
							continue
						}
						switch r.Command() {
						case protocol.CallbackBeforeCreateOfficialAccount:
							checkQuery(t, r, protocol.CallbackBeforeCreateOfficialAccount)
							befores = append(befores, ot.Blank(t, string(r.Body)))
						case protocol.CallbackAfterCreateOfficialAccount:
							checkQuery(t, r, protocol.CallbackAfterCreateOfficialAccount)
							afters = append(afters, ot.Blank(t, string(r.Body)))
						}
					}
					require.Len(t, befores, 1, "the before-webhook is sent once, never retried")
					assert.JSONEq(t, sprintf(before, name), befores[0])
					if tc.created {
						require.Len(t, afters, 1)
						assert.JSONEq(t, sprintf(after, id, name), afters[0])
					} else {
						assert.Empty(t, afters, "a refused creation fires no after-webhook")
					}
				})
			}

			t.Run("invalid requests are not sent to the app", func(t *testing.T) {
				n := len(rcv.Requests())
				ot.RequireFail(t, ot.Call(t, s, "create_official_account", `{"Owner_Account":"nobody","Name":"n"}`), 6017)
				ot.RequireFail(t, ot.Call(t, s, "create_official_account", `{"Owner_Account":"107867","Name":"n","OfficialAccountUserID":"@TOA#_hooka"}`), 130008)
				ot.RequireFail(t, ot.Call(t, s, "create_official_account", `{"Owner_Account":"107867"}`), 6017)
				assert.Len(t, rcv.Requests(), n)
			})
		})
	}
}

// checkQuery checks the query string of wire.md section 5.
func checkQuery(t *testing.T, r webhooktest.Request, command string) {
	t.Helper()
	q := r.Query
	assert.Equal(t, "1400000000", q.Get("SdkAppid"))
	assert.Equal(t, command, q.Get("CallbackCommand"))
	assert.Equal(t, "json", q.Get("contenttype"))
	assert.Equal(t, "127.0.0.1", q.Get("ClientIP"))
	assert.Equal(t, "RESTAPI", q.Get("OptPlatform"))
	assert.Equal(t, webhook.Sign(ot.Token, atoi(t, q.Get("RequestTime"))), q.Get("Sign"))
}

func atoi(t *testing.T, s string) int64 {
	var n int64
	require.NoError(t, json.Unmarshal([]byte(s), &n))
	return n
}

func sprintf(format string, args ...any) string {
	for _, a := range args {
		format = strings.Replace(format, "%s", a.(string), 1)
	}
	return format
}
