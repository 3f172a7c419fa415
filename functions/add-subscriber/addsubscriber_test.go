package addsubscriber_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/shared/official/officialtest"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// docSample is the request of Tencent's documentation of add_subscriber; docAnswer is its
// documented answer when 107867 is subscribed already.
const (
	docSample = `{
	"Official_Account": "@TOA#_@TOA#dOEF",
	"SubscriberList": [
		{"Subscriber_Account": "107867"},
		{"Subscriber_Account": "966582476"}
	]
}`
	docAnswer = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"SubscriberList":[
	{"Subscriber_Account":"107867","Result":2},
	{"Subscriber_Account":"966582476","Result":1}]}`
)

// add is an add_subscriber body for oa and accounts.
func add(oa string, accounts ...string) string {
	items := make([]string, len(accounts))
	for i, a := range accounts {
		items[i] = `{"Subscriber_Account":"` + a + `"}`
	}
	return `{"Official_Account":"` + oa + `","SubscriberList":[` + strings.Join(items, ",") + `]}`
}

// results are the answer's Result by account.
type results []struct {
	Account string `json:"Subscriber_Account"`
	Result  int    `json:"Result"`
}

func decode(t testing.TB, answer string) results {
	t.Helper()
	var resp struct {
		ActionStatus   string
		SubscriberList results
	}
	require.NoError(t, json.Unmarshal([]byte(answer), &resp), "answer: %s", answer)
	require.Equal(t, "OK", resp.ActionStatus, "answer: %s", answer)
	return resp.SubscriberList
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestAdd(t *testing.T) {
	hundred := names("m", 100)
	cases := []struct {
		name string
		body string
		want string // the whole answer; "" for a failure
		code int
	}{
		{"documentation sample", docSample, docAnswer, 0},
		{"items that fail, repeats reported once", add("@TOA#_@TOA#dOEF", "nobody", "", strings.Repeat("x", 33), "a", "a", "966582476"),
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[
			{"Subscriber_Account":"nobody","Result":0},{"Subscriber_Account":"","Result":0},
			{"Subscriber_Account":"` + strings.Repeat("x", 33) + `","Result":0},{"Subscriber_Account":"a","Result":1},
			{"Subscriber_Account":"966582476","Result":2}]}`, 0},
		{"100 accounts", add("@TOA#_@TOA#dOEF", hundred...), "", 0},
		{"101 accounts", add("@TOA#_@TOA#dOEF", append(hundred, "a")...), "", 6017},
		{"101 items, 100 distinct", add("@TOA#_@TOA#dOEF", append(hundred, "m000")...), "", 6017},
		{"empty list", add("@TOA#_@TOA#dOEF"), "", 6017},
		{"list missing", `{"Official_Account":"@TOA#_@TOA#dOEF"}`, "", 6017},
		{"item without Subscriber_Account", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{}]}`, "", 6017},
		{"Subscriber_Account not a string", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{"Subscriber_Account":1}]}`, "", 60015},
		{"list not a list", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":{"Subscriber_Account":"a"}}`, "", 6017},
		{"Official_Account missing", `{"SubscriberList":[{"Subscriber_Account":"a"}]}`, "", 6017},
		{"Official_Account malformed", add("TOA#dOEF", "a"), "", 130007},
		{"Official_Account unknown", add("@TOA#_nobody", "a"), "", 130004},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, append([]string{"107867", "966582476", "a"}, hundred...)...)
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_@TOA#dOEF", Owner: "107867", Name: "doc"})
			require.Equal(t, results{{"107867", 1}}, decode(t, ot.Call(t, s, "add_subscriber", add("@TOA#_@TOA#dOEF", "107867"))))
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "add_subscriber", tc.body)
					switch {
					case tc.code != 0:
						ot.RequireFail(t, got, tc.code)
					case tc.want != "":
						require.JSONEq(t, tc.want, got)
					default:
						r := decode(t, got)
						require.Len(t, r, 100)
						for i, item := range r {
							require.Equal(t, hundred[i], item.Account)
							require.Equal(t, 1, item.Result)
						}
					}
				})
			}
			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_@TOA#dOEF"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":["SubscriberNum"]}}`)
			require.Contains(t, info, `"SubscriberNum":103`)
		})
	}
}

// TestFull fills an official account: additions past MaxSubscriberNum fail, and the full webhook
// fires once per filling.
func TestFull(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "o", "a", "b", "c", "d", "e", "f", "g")
			ot.Call(t, s, "create_official_account", `{"Owner_Account":"o","Name":"n","OfficialAccountUserID":"@TOA#_full","MaxSubscriberNum":3}`)
			steps := []struct {
				call, body string
				want       results
			}{
				{"add_subscriber", add("@TOA#_full", "a", "b"), results{{"a", 1}, {"b", 1}}},
				{"add_subscriber", add("@TOA#_full", "c", "d"), results{{"c", 1}, {"d", 0}}}, // full: fires
				{"add_subscriber", add("@TOA#_full", "d", "a"), results{{"d", 0}, {"a", 2}}}, // still full: no webhook
				{"delete_subscriber", `{"Official_Account":"@TOA#_full","SubscriberToDel_Account":["a"]}`, results{{"a", 1}}},
				{"add_subscriber", add("@TOA#_full", "e", "f"), results{{"e", 1}, {"f", 0}}}, // full again: fires
				{"modify_official_account_base_info", `{"Official_Account":"@TOA#_full","MaxSubscriberNum":5}`, nil},
				{"add_subscriber", add("@TOA#_full", "f"), results{{"f", 1}}},
				{"add_subscriber", add("@TOA#_full", "g"), results{{"g", 1}}}, // raised and filled: fires
			}
			for i, step := range steps {
				got := ot.Call(t, s, step.call, step.body)
				if step.want == nil {
					require.JSONEq(t, ot.OK, got)
					continue
				}
				require.Equal(t, step.want, decode(t, got), "step %d", i)
			}
			ot.Drained(t, s)
			full := `{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountFull","EventTime":0,"Official_Account":"@TOA#_full"}`
			assert.Equal(t, []string{full, full, full}, ot.Bodies(t, rcv, protocol.CallbackAfterOfficialAccountFull))
			added := func(accounts string) string {
				return `{"CallbackCommand":"OfficialAccount.CallbackAfterAddSubscriber","EventTime":0,"Official_Account":"@TOA#_full","Operator_Account":"administrator","SubscribeAccountList":[` + accounts + `]}`
			}
			assert.Equal(t, []string{
				added(`{"Subscriber_Account":"a"},{"Subscriber_Account":"b"}`), added(`{"Subscriber_Account":"c"}`),
				added(`{"Subscriber_Account":"e"}`), added(`{"Subscriber_Account":"f"}`), added(`{"Subscriber_Account":"g"}`),
			}, ot.Bodies(t, rcv, protocol.CallbackAfterAddSubscriber), "only accounts actually added, in commit order")
			// Per official account, events arrive in commit order: the full webhook after the addition that caused it.
			var order []string
			for _, r := range rcv.Requests() {
				if c := r.Command(); c == protocol.CallbackAfterAddSubscriber || c == protocol.CallbackAfterOfficialAccountFull {
					order = append(order, strings.TrimPrefix(c, "OfficialAccount.CallbackAfter"))
				}
			}
			assert.Equal(t, []string{"AddSubscriber", "AddSubscriber", "OfficialAccountFull", "AddSubscriber", "OfficialAccountFull",
				"AddSubscriber", "AddSubscriber", "OfficialAccountFull"}, order)
		})
	}
}

// TestBeforeAddWebhook checks the before-add and after-add pair against a real receiver.
func TestBeforeAddWebhook(t *testing.T) {
	before := func(accounts ...string) string {
		return subscribers(protocol.CallbackBeforeAddSubscriber, accounts)
	}
	after := func(accounts ...string) string {
		return subscribers(protocol.CallbackAfterAddSubscriber, accounts)
	}
	cases := []struct {
		name   string
		answer func(http.ResponseWriter)
		want   results
		before string // "" when no before-webhook is sent
		after  string // "" when no after-webhook is sent
	}{
		{"allowed", ot.JSON(webhooktest.OK), results{{"a", 1}, {"b", 1}, {"ghost", 0}, {"in", 2}},
			before("a", "b"), after("a", "b")},
		{"refused as strings", ot.JSON(`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["b"]}`),
			results{{"a", 1}, {"b", 0}, {"ghost", 0}, {"in", 2}}, before("a", "b"), after("a")},
		{"refused as objects", ot.JSON(`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":[{"Subscriber_Account":"a"},{"Subscriber_Account":"b"}]}`),
			results{{"a", 0}, {"b", 0}, {"ghost", 0}, {"in", 2}}, before("a", "b"), ""},
		{"all refused by ErrorCode", ot.JSON(`{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"no"}`),
			results{{"a", 0}, {"b", 0}, {"ghost", 0}, {"in", 2}}, before("a", "b"), ""},
		{"timed out", ot.Slow(2 * ot.Timeout), results{{"a", 1}, {"b", 1}, {"ghost", 0}, {"in", 2}},
			before("a", "b"), after("a", "b")},
		{"HTTP 502", func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }, results{{"a", 1}, {"b", 1}, {"ghost", 0}, {"in", 2}},
			before("a", "b"), after("a", "b")},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "o", "a", "b", "in")
			for i, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					oa := fmt.Sprintf("@TOA#_%d", i)
					ot.Call(t, s, "create_official_account", `{"Owner_Account":"o","Name":"n","OfficialAccountUserID":"`+oa+`"}`)
					ot.Answering(rcv, ot.Answer{protocol.CallbackBeforeAddSubscriber: ot.JSON(webhooktest.OK)})
					require.Equal(t, results{{"in", 1}}, decode(t, ot.Call(t, s, "add_subscriber", add(oa, "in"))))
					ot.Answering(rcv, ot.Answer{protocol.CallbackBeforeAddSubscriber: tc.answer})
					require.Equal(t, tc.want, decode(t, ot.Call(t, s, "add_subscriber", add(oa, "a", "b", "ghost", "in"))))
					ot.Drained(t, s)
					befores, afters := forOA(t, rcv, protocol.CallbackBeforeAddSubscriber, oa), forOA(t, rcv, protocol.CallbackAfterAddSubscriber, oa)
					require.Len(t, befores, 2, "one before-webhook per call, never retried")
					assert.JSONEq(t, strings.ReplaceAll(tc.before, "@OA", oa), befores[1])
					require.GreaterOrEqual(t, len(afters), 1)
					if tc.after == "" {
						assert.Len(t, afters, 1, "nothing added, no after-webhook")
					} else {
						require.Len(t, afters, 2)
						assert.JSONEq(t, strings.ReplaceAll(tc.after, "@OA", oa), afters[1])
					}
				})
			}
			t.Run("nothing to add: no before-webhook", func(t *testing.T) {
				n := len(rcv.Requests())
				require.Equal(t, results{{"in", 2}, {"ghost", 0}}, decode(t, ot.Call(t, s, "add_subscriber", add("@TOA#_0", "in", "ghost"))))
				ot.RequireFail(t, ot.Call(t, s, "add_subscriber", add("@TOA#_none", "a")), 130004)
				assert.Len(t, rcv.Requests(), n)
			})
		})
	}
}

func subscribers(command string, accounts []string) string {
	items := make([]string, len(accounts))
	for i, a := range accounts {
		items[i] = `{"Subscriber_Account":"` + a + `"}`
	}
	return `{"CallbackCommand":"` + command + `","EventTime":0,"Official_Account":"@OA","Operator_Account":"administrator","SubscribeAccountList":[` + strings.Join(items, ",") + `]}`
}

// forOA returns the blanked bodies of command about official account oa.
func forOA(t *testing.T, rcv *webhooktest.Receiver, command, oa string) []string {
	var out []string
	for _, r := range rcv.Requests() {
		var b struct{ Official_Account string }
		require.NoError(t, json.Unmarshal(r.Body, &b))
		if r.Command() == command && b.Official_Account == oa {
			out = append(out, ot.Blank(t, string(r.Body)))
		}
	}
	return out
}

// TestConcurrentSubscriberNum adds and removes subscribers from many goroutines at once:
// SubscriberNum stays equal to the subscriptions and to the sum of the results.
func TestConcurrentSubscriberNum(t *testing.T) {
	const workers, rounds = 8, 25
	accounts := names("c", 40)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, append([]string{"o"}, accounts...)...)
			ot.Call(t, s, "create_official_account", `{"Owner_Account":"o","Name":"n","OfficialAccountUserID":"@TOA#_busy"}`)
			var mu sync.Mutex
			net := 0 // additions minus removals, as answered
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(w), 7))
					for range rounds {
						pick := make([]string, 1+r.IntN(10))
						for i := range pick {
							pick[i] = accounts[r.IntN(len(accounts))]
						}
						var got results
						if r.IntN(2) == 0 {
							got = decode(t, ot.Call(t, s, "add_subscriber", add("@TOA#_busy", pick...)))
						} else {
							body, _ := json.Marshal(map[string]any{"Official_Account": "@TOA#_busy", "SubscriberToDel_Account": pick})
							got = decode(t, ot.Call(t, s, "delete_subscriber", string(body)))
							for i := range got {
								got[i].Result = -got[i].Result
							}
						}
						mu.Lock()
						for _, g := range got {
							if g.Result == 1 || g.Result == -1 {
								net += g.Result
							}
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			var page struct {
				SubscriberNum  int
				SubscriberList []struct{ Subscriber_Account string }
			}
			require.NoError(t, json.Unmarshal([]byte(ot.Call(t, s, "get_subscriber_info", `{"Official_Account":"@TOA#_busy"}`)), &page))
			assert.Equal(t, net, page.SubscriberNum, "SubscriberNum equals additions minus removals")
			assert.Len(t, page.SubscriberList, page.SubscriberNum, "SubscriberNum equals the subscriptions")
		})
	}
}

// TestConcurrentMaxSubscriberNum races many additions into a small official account: exactly
// MaxSubscriberNum succeed and the full webhook fires once.
func TestConcurrentMaxSubscriberNum(t *testing.T) {
	const workers, each, max = 10, 10, 25
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			all := names("r", workers*each)
			s.Import(t, append([]string{"o"}, all...)...)
			ot.Call(t, s, "create_official_account", fmt.Sprintf(`{"Owner_Account":"o","Name":"n","OfficialAccountUserID":"@TOA#_race","MaxSubscriberNum":%d}`, max))
			var added sync.Map
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for _, r := range decode(t, ot.Call(t, s, "add_subscriber", add("@TOA#_race", all[w*each:(w+1)*each]...))) {
						if r.Result == 1 {
							added.Store(r.Account, true)
						}
					}
				})
			}
			wg.Wait()
			n := 0
			added.Range(func(any, any) bool { n++; return true })
			assert.Equal(t, max, n, "exactly MaxSubscriberNum additions succeed")
			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_race"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":["SubscriberNum"]}}`)
			assert.Contains(t, info, fmt.Sprintf(`"SubscriberNum":%d`, max))
			ot.Drained(t, s)
			assert.Len(t, ot.Bodies(t, rcv, protocol.CallbackAfterOfficialAccountFull), 1, "the full webhook fires once")
			listed := 0
			for _, body := range ot.Bodies(t, rcv, protocol.CallbackAfterAddSubscriber) {
				listed += strings.Count(body, "Subscriber_Account")
			}
			assert.Equal(t, max, listed, "the after-add webhooks list exactly the accounts added")
		})
	}
}
