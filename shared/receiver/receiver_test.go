package receiver_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

const oa = "@TOA#_test_OA_for_penn"

func TestSignVector(t *testing.T) {
	require.Equal(t, vectorSign, webhook.Sign(vectorToken, vectorTime))
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			body := sample(t, "seed-after-follow-delete.json")
			for i, sign := range []string{vectorSign, strings.ToUpper(vectorSign)} {
				q := "SdkAppid=1400000000&CallbackCommand=Follow.CallbackAfterFollowDelete&contenttype=json&ClientIP=127.0.0.1" +
					"&OptPlatform=RESTAPI&Sign=" + sign + "&RequestTime=" + strconv.Itoa(vectorTime)
				r := h.post(t, "/callback", q, body, nil)
				require.Equal(t, http.StatusOK, r.Status, r.Body)
				require.Equal(t, okEnvelope, r.Body)
				require.Len(t, h.events(t), 1)
				require.EqualValues(t, i+1, h.events(t)[0].Deliveries)
			}
		})
	}
}

// TestEveryCommand delivers the body of every command (wire.md section 5 and the seed pages'
// samples) to the single URL and to the command's own URL, and checks the answer, the log and
// the mirror.
func TestEveryCommand(t *testing.T) {
	eventAt := func(ms int64) int64 { return ms }
	cases := []struct {
		file   string
		mirror func(t *testing.T, m mirror)
	}{
		{"Follow.CallbackAfterFollowAdd.json", func(t *testing.T, m mirror) {
			require.Equal(t, []string{"UserID_001>UserID_002", "UserID_001>UserID_003"}, m.present())
			require.Equal(t, eventAt(1702018343678), m.Follows[0].At)
		}},
		{"Follow.CallbackAfterFollowDelete.json", func(t *testing.T, m mirror) {
			require.Empty(t, m.present())
			require.Equal(t, []store.MirrorFollow{
				{From: "UserID_001", To: "UserID_002", At: 1702018343679},
				{From: "UserID_001", To: "UserID_003", At: 1702018343679},
			}, m.Follows)
		}},
		{"seed-after-follow-delete.json", func(t *testing.T, m mirror) {
			require.Empty(t, m.present())
			require.Len(t, m.Follows, 2)
		}},
		{"OfficialAccount.CallbackBeforeCreateOfficialAccount.json", func(t *testing.T, m mirror) {
			require.Equal(t, mirror{}, m)
		}},
		{"OfficialAccount.CallbackAfterCreateOfficialAccount.json", func(t *testing.T, m mirror) {
			require.Equal(t, []store.MirrorOfficialAccount{{ID: oa, Owner: "107867", Name: "TestOfficialAccount",
				OwnerAt: 1670574414123, NameAt: 1670574414123, ProfileAt: 1670574414123, Present: true, StateAt: 1670574414123}}, m.Officials)
		}},
		{"OfficialAccount.CallbackAfterOfficialAccountInfoChanged.json", func(t *testing.T, m mirror) {
			require.Equal(t, []store.MirrorOfficialAccount{{ID: oa, Name: "NewName", Introduction: "NewNotification",
				FaceURL: "http://this.is.newface.url", Organization: "NewOrganization",
				NameAt: 1670574414124, ProfileAt: 1670574414124, Present: true, StateAt: 1670574414124}}, m.Officials)
		}},
		{"OfficialAccount.CallbackAfterOfficialAccountDestroyed.json", func(t *testing.T, m mirror) {
			require.Equal(t, []store.MirrorOfficialAccount{{ID: oa, Owner: "107867", Name: "TestOfficialAccount",
				OwnerAt: 1670574414127, NameAt: 1670574414127, StateAt: 1670574414127, DestroyedAt: 1670574414127}}, m.Officials)
		}},
		{"OfficialAccount.CallbackBeforeAddSubscriber.json", func(t *testing.T, m mirror) {
			require.Equal(t, mirror{}, m)
		}},
		{"OfficialAccount.CallbackAfterAddSubscriber.json", func(t *testing.T, m mirror) {
			require.Equal(t, []string{oa + "<jared", oa + "<leckie"}, m.subscribed())
			require.True(t, m.Officials[0].Present)
		}},
		{"OfficialAccount.CallbackAfterOfficialAccountFull.json", func(t *testing.T, m mirror) {
			require.Equal(t, []store.MirrorOfficialAccount{{ID: oa, Present: true, StateAt: 1670574414126, FullAt: 1670574414126}}, m.Officials)
		}},
		{"OfficialAccount.CallbackAfterDeleteSubscriber.json", func(t *testing.T, m mirror) {
			require.Equal(t, []store.MirrorSubscription{{Official: oa, Subscriber: "jared", At: 1670574414126}}, m.Subscriptions)
		}},
		{"seed-after-delete-subscriber.json", func(t *testing.T, m mirror) {
			require.Empty(t, m.subscribed())
			require.Len(t, m.Subscriptions, 2)
		}},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			for _, c := range cases {
				body := sample(t, c.file)
				cmd := commandOf(t, body)
				for _, path := range []string{"/callback", "/callback/" + cmd} {
					t.Run(c.file+path[len("/callback"):], func(t *testing.T) {
						t.Parallel()
						h := start(t, b.URL(t))
						r := h.post(t, path, h.query(cmd, params{"ClientIP": "10.1.2.3", "OptPlatform": "iOS"}), body, nil)
						require.Equal(t, http.StatusOK, r.Status, r.Body)
						require.Equal(t, okEnvelope, r.Body)

						events := h.events(t)
						require.Len(t, events, 1)
						e := events[0]
						require.Equal(t, cmd, e.Command)
						require.Equal(t, body, string(e.Body))
						require.Equal(t, "10.1.2.3", e.ClientIP)
						require.Equal(t, "iOS", e.Platform)
						require.Equal(t, time.Unix(vectorTime, 0), e.ReceivedAt)
						require.EqualValues(t, 1, e.Deliveries)
						require.Positive(t, e.EventTime)
						require.Len(t, e.BodyHash, 64)
						c.mirror(t, h.mirror(t))
					})
				}
			}
		})
	}
}

// TestRefusals makes each check of the package doc fail in turn: the status, the code, an
// ErrorInfo that names the problem without revealing a secret, and nothing recorded.
func TestRefusals(t *testing.T) {
	follow := sample(t, "Follow.CallbackAfterFollowDelete.json")
	cmd := protocol.CallbackAfterFollowDelete
	subs := sample(t, "OfficialAccount.CallbackAfterAddSubscriber.json")
	now := int64(vectorTime)
	at := func(d int64) string { return strconv.FormatInt(now+d, 10) }
	cases := []struct {
		name   string
		method string
		path   string // default /callback
		cmd    string // default Follow.CallbackAfterFollowDelete
		edits  params
		raw    string // a raw query instead of the signed one
		body   string // default the follow-delete sample
		status int
		code   protocol.Code
	}{
		{name: "GET", method: http.MethodGet, status: 400, code: 60002},
		{name: "query does not parse", raw: "SdkAppid=%zz", status: 400, code: 60002},
		{name: "SdkAppid twice", raw: "SdkAppid=1400000000&SdkAppid=1400000001&CallbackCommand=" + cmd, status: 400, code: 60002},
		{name: "Sign twice", edits: params{"Sign": vectorSign + "&Sign=" + vectorSign}, status: 400, code: 60002},
		{name: "SdkAppid missing", edits: params{"SdkAppid": drop}, status: 400, code: 60012},
		{name: "SdkAppid empty", edits: params{"SdkAppid": ""}, status: 400, code: 60012},
		{name: "sdkappid lower-case", edits: params{"SdkAppid": drop, "sdkappid": "1400000000"}, status: 400, code: 60012},
		{name: "SdkAppid another app", edits: params{"SdkAppid": "1400000001"}, status: 400, code: 60006},
		{name: "SdkAppid not a number", edits: params{"SdkAppid": "abc"}, status: 400, code: 60006},
		{name: "CallbackCommand missing", edits: params{"CallbackCommand": drop}, status: 400, code: 60009},
		{name: "CallbackCommand unknown", cmd: "Follow.CallbackAfterFollowDrop", status: 400, code: 60009},
		{name: "CallbackCommand of another service", cmd: "Group.CallbackAfterCreateGroup", status: 400, code: 60009},
		{name: "CallbackCommand not the path's", path: "/callback/" + protocol.CallbackAfterFollowAdd, status: 400, code: 60009},
		{name: "path names no command", path: "/callback/Follow.Nothing", status: 400, code: 60009},
		{name: "path empty", path: "/callback/", status: 400, code: 60009},
		{name: "body command differs", cmd: protocol.CallbackAfterFollowAdd, status: 400, code: 60009},
		{name: "body command not the query's", cmd: protocol.CallbackAfterAddSubscriber, body: strings.Replace(subs, "AfterAdd", "AfterDelete", 1), status: 400, code: 60009},
		{name: "body command missing", body: strings.Replace(follow, `"CallbackCommand":"Follow.CallbackAfterFollowDelete",`, "", 1), status: 400, code: 60009},
		{name: "Sign missing", edits: params{"Sign": drop}, status: 401, code: 60004},
		{name: "RequestTime missing", edits: params{"RequestTime": drop}, status: 401, code: 60004},
		{name: "Sign empty", edits: params{"Sign": ""}, status: 401, code: 60004},
		{name: "Sign wrong", edits: params{"Sign": strings.Repeat("0", 64)}, status: 401, code: 70009},
		{name: "Sign of another token", edits: params{"Sign": webhook.Sign("another", now)}, status: 401, code: 70009},
		{name: "Sign for another time", edits: params{"Sign": webhook.Sign(vectorToken, now+1)}, status: 401, code: 70009},
		{name: "Sign not hex", edits: params{"Sign": "zz"}, status: 401, code: 70009},
		{name: "RequestTime 61 s old", edits: params{"RequestTime": at(-61), "Sign": webhook.Sign(vectorToken, now-61)}, status: 401, code: 70001},
		{name: "RequestTime 61 s ahead", edits: params{"RequestTime": at(61), "Sign": webhook.Sign(vectorToken, now+61)}, status: 401, code: 70001},
		{name: "RequestTime in milliseconds", edits: params{"RequestTime": at(0) + "000", "Sign": webhook.Sign(vectorToken, now*1000)}, status: 401, code: 70001},
		{name: "RequestTime not a number", edits: params{"RequestTime": "soon"}, status: 401, code: 70001},
		{name: "body empty", body: " ", status: 400, code: 60003},
		{name: "body not JSON", body: "{From_Account:1}", status: 400, code: 60003},
		{name: "body an array", body: "[" + follow + "]", status: 400, code: 60003},
		{name: "body two objects", body: follow + follow, status: 400, code: 60003},
		{name: "body duplicate member", body: `{"From_Account":"a","From_Account":"b"}`, status: 400, code: 60003},
		{name: "body over 1 MiB", body: `{"x":"` + strings.Repeat("a", 1<<20) + `"}`, status: 400, code: 60003},
		{name: "account not a string", body: strings.Replace(follow, `"UserID_002"`, `2`, 1), status: 400, code: 60015},
		{name: "From_Account a number", body: strings.Replace(follow, `"From_Account":"UserID_001"`, `"From_Account":1`, 1), status: 400, code: 60015},
		{name: "To_Account a string", body: strings.Replace(follow, `["UserID_002","UserID_003"]`, `"UserID_002"`, 1), status: 400, code: 30001},
		{name: "EventTime a string", body: strings.Replace(follow, `1702018343679`, `"1702018343679"`, 1), status: 400, code: 30001},
		{name: "EventTime a fraction", body: strings.Replace(follow, `1702018343679`, `1702018343679.5`, 1), status: 400, code: 30001},
		{name: "EventTime missing", body: strings.Replace(follow, `,"EventTime":1702018343679`, ``, 1), status: 400, code: 30001},
		{name: "EventTime zero", body: strings.Replace(follow, `1702018343679`, `0`, 1), status: 400, code: 30001},
		{name: "From_Account missing", body: strings.Replace(follow, `"From_Account":"UserID_001",`, ``, 1), status: 400, code: 30001},
		{name: "From_Account wrong case", body: strings.Replace(follow, `"From_Account"`, `"from_account"`, 1), status: 400, code: 30001},
		{name: "To_Account item empty", body: strings.Replace(follow, `"UserID_002"`, `""`, 1), status: 400, code: 30001},
		{name: "official: list not an array", cmd: protocol.CallbackAfterAddSubscriber,
			body: strings.Replace(subs, `[{"Subscriber_Account":"jared"},{"Subscriber_Account":"leckie"}]`, `{"Subscriber_Account":"jared"}`, 1), status: 400, code: 6017},
		{name: "official: Official_Account missing", cmd: protocol.CallbackAfterAddSubscriber,
			body: strings.Replace(subs, `"Official_Account":"@TOA#_test_OA_for_penn",`, ``, 1), status: 400, code: 6017},
		{name: "official: subscriber not a string", cmd: protocol.CallbackAfterAddSubscriber,
			body: strings.Replace(subs, `"jared"`, `{"id":"jared"}`, 1), status: 400, code: 60015},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					method, path, command, body := c.method, c.path, c.cmd, c.body
					if method == "" {
						method = http.MethodPost
					}
					if path == "" {
						path = "/callback"
					}
					if command == "" {
						command = cmd
					}
					if body == "" {
						body = follow
					}
					q := c.raw
					if q == "" {
						q = h.query(command, c.edits)
					}
					q = strings.ReplaceAll(q, "%26Sign%3D", "&Sign=") // "Sign twice" carries a raw &
					req, err := http.NewRequest(method, h.URL+path+"?"+q, strings.NewReader(body))
					require.NoError(t, err)
					r := do(t, req)
					require.Equal(t, c.status, r.Status, r.Body)
					require.Equal(t, "FAIL", r.Env.ActionStatus)
					require.Equal(t, int(c.code), r.Env.ErrorCode, r.Body)
					require.NotEmpty(t, r.Env.ErrorInfo)
					for _, secret := range []string{vectorToken, vectorSign, webhook.Sign(vectorToken, now)} {
						require.NotContains(t, r.Body, secret)
					}
				})
			}
			require.Empty(t, h.events(t), "a refused delivery is not recorded")
			require.Equal(t, mirror{}, h.mirror(t))
		})
	}
}

func TestSkewWindow(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			body := sample(t, "Follow.CallbackAfterFollowAdd.json")
			cmd := protocol.CallbackAfterFollowAdd
			signedAt := func(rt int64) string {
				return h.query(cmd, params{"RequestTime": strconv.FormatInt(rt, 10), "Sign": webhook.Sign(vectorToken, rt)})
			}
			// The edges of the window are inside it.
			for _, d := range []int64{-60, 60, 0} {
				r := h.post(t, "/callback", signedAt(vectorTime+d), body, nil)
				require.Equal(t, http.StatusOK, r.Status, "RequestTime now%+d: %s", d, r.Body)
			}
			// A captured delivery replayed after the window is refused, before and after a
			// first acceptance alike.
			captured := signedAt(vectorTime)
			h.Clock.Advance(61)
			r := h.post(t, "/callback", captured, body, nil)
			require.Equal(t, http.StatusUnauthorized, r.Status)
			require.Equal(t, 70001, r.Env.ErrorCode)
			require.Len(t, h.events(t), 1)
			require.EqualValues(t, 3, h.events(t)[0].Deliveries)
		})
	}
}

func TestTokenRotation(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t), withTokens("old-token", "new-token"))
			body := sample(t, "Follow.CallbackAfterFollowAdd.json")
			for _, c := range []struct {
				token  string
				status int
			}{{"old-token", 200}, {"new-token", 200}, {"retired-token", 401}, {"old-token,new-token", 401}} {
				sign := webhook.Sign(c.token, vectorTime)
				r := h.post(t, "/callback", h.query(protocol.CallbackAfterFollowAdd, params{"Sign": sign}), body, nil)
				require.Equal(t, c.status, r.Status, "token %s: %s", c.token, r.Body)
			}
		})
	}
}

func TestNoTokensNoSign(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t), withTokens())
			body := sample(t, "Follow.CallbackAfterFollowAdd.json")
			q := h.query(protocol.CallbackAfterFollowAdd, nil)
			require.NotContains(t, q, "Sign")
			r := h.post(t, "/callback", q, body, nil)
			require.Equal(t, http.StatusOK, r.Status, r.Body)
		})
	}
}

// TestTolerantDecoding: unknown members anywhere are ignored, every OptPlatform (unknown and
// missing included) is accepted and recorded as sent, and contenttype is not checked.
func TestTolerantDecoding(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			platforms := append(protocol.Platforms(), "HarmonyOS", drop)
			for i, p := range platforms {
				body := `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","Extra":{"nested":[1,{"a":null}]},` +
					`"From_Account":"u` + strconv.Itoa(i) + `","FollowList":[{"To_Account":"v","Tag":"x"}],"EventTime":1702018343678,"Zone":8}`
				r := h.post(t, "/callback", h.query(protocol.CallbackAfterFollowAdd, params{"OptPlatform": p, "contenttype": "xml"}), body, nil)
				require.Equal(t, http.StatusOK, r.Status, "OptPlatform %q: %s", p, r.Body)
				want := p
				if p == drop {
					want = ""
				}
				events := h.events(t)
				require.Equal(t, want, events[len(events)-1].Platform)
			}
			require.Len(t, h.mirror(t).present(), len(platforms))
		})
	}
}

// TestDuplicates: a redelivery (same command and body, fresh Sign) is acknowledged as the first
// delivery was, counted, and neither applied nor handed to the app again.
func TestDuplicates(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			calls := map[string]int{}
			refuse := []string{"jared"}
			h := start(t, b.URL(t), withHandlers(receiver.Handlers{
				AfterFollowAdd: func(_ context.Context, e receiver.Event, b protocol.AfterFollowAdd) error {
					calls[e.Command]++
					return nil
				},
				BeforeAddSubscriber: func(_ context.Context, e receiver.Event, b protocol.Subscribers) ([]string, error) {
					calls[e.Command]++
					r := refuse
					refuse = nil // the app changes its mind: the redelivery still gets the first answer
					return r, nil
				},
			}))
			add := sample(t, "Follow.CallbackAfterFollowAdd.json")
			del := `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002"],"EventTime":1702018343700}`
			h.deliver(t, add)
			h.deliver(t, del)
			h.Clock.Advance(5)
			r := h.deliver(t, add) // a late redelivery of the follow
			require.Equal(t, okEnvelope, r.Body)
			require.Equal(t, 1, calls[protocol.CallbackAfterFollowAdd])
			require.Equal(t, []string{"UserID_001>UserID_003"}, h.mirror(t).present())

			before := sample(t, "OfficialAccount.CallbackBeforeAddSubscriber.json")
			first := h.deliver(t, before)
			again := h.deliver(t, before)
			require.Equal(t, []string{"jared"}, first.Env.RefusedMembers)
			require.Equal(t, first.Body, again.Body)

			events := h.events(t)
			require.Len(t, events, 3)
			require.EqualValues(t, 2, events[0].Deliveries)
			require.Equal(t, time.Unix(vectorTime, 0), events[0].ReceivedAt)
			require.Equal(t, time.Unix(vectorTime+5, 0), events[0].LastReceivedAt)
			require.EqualValues(t, 1, events[1].Deliveries)
			require.EqualValues(t, 2, events[2].Deliveries)
		})
	}
}

// failingStore rolls back every Update after running it, as a failed commit would.
type failingStore struct{ store.Store }

var errCommit = errors.New("injected commit failure")

func (f failingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.Update(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errCommit
	})
}

// TestNeverOKUnrecorded: when the event cannot be committed the answer is not 200, and a later
// delivery that can be committed is recorded and applied.
func TestNeverOKUnrecorded(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			failing := startOn(t, failingStore{h.Store})
			for _, file := range []string{"Follow.CallbackAfterFollowAdd.json", "OfficialAccount.CallbackBeforeCreateOfficialAccount.json", "OfficialAccount.CallbackAfterAddSubscriber.json"} {
				body := sample(t, file)
				r := failing.post(t, "/callback", failing.query(commandOf(t, body), nil), body, nil)
				require.Equal(t, http.StatusInternalServerError, r.Status, r.Body)
				require.Equal(t, "FAIL", r.Env.ActionStatus)
				require.Contains(t, []int{30006, 10004}, r.Env.ErrorCode)
				require.NotContains(t, r.Body, errCommit.Error())
			}
			require.Empty(t, h.events(t))
			require.Equal(t, mirror{}, h.mirror(t))

			h.deliver(t, sample(t, "Follow.CallbackAfterFollowAdd.json"))
			require.Len(t, h.events(t), 1)
			require.Len(t, h.mirror(t).present(), 2)
		})
	}
}

// TestHandlerFailure: an after-handler's error answers 500 and records nothing, so the
// redelivery runs the handler again; an *envelope.Error keeps its code.
func TestHandlerFailure(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			calls := 0
			h := start(t, b.URL(t), withHandlers(receiver.Handlers{
				AfterDeleteSubscriber: func(_ context.Context, e receiver.Event, b protocol.Subscribers) error {
					calls++
					require.Equal(t, oa, b.OfficialAccount)
					require.Equal(t, []string{"jared", "leckie"}, b.Accounts())
					require.Equal(t, time.UnixMilli(1670574414123), e.EventTime)
					if calls == 1 {
						return envelope.Errorf(10004, "app database busy")
					}
					return nil
				},
			}))
			body := sample(t, "seed-after-delete-subscriber.json")
			r := h.post(t, "/callback", h.query(protocol.CallbackAfterDeleteSubscriber, nil), body, nil)
			require.Equal(t, http.StatusInternalServerError, r.Status)
			require.Equal(t, `{"ActionStatus":"FAIL","ErrorCode":10004,"ErrorInfo":"app database busy"}`, r.Body)
			require.Empty(t, h.events(t))

			h.deliver(t, body)
			h.deliver(t, body)
			require.Equal(t, 2, calls)
			require.Len(t, h.events(t), 1)
			require.Len(t, h.mirror(t).Subscriptions, 2)
		})
	}
}

func TestPolicy(t *testing.T) {
	create := sample(t, "OfficialAccount.CallbackBeforeCreateOfficialAccount.json")
	add := sample(t, "OfficialAccount.CallbackBeforeAddSubscriber.json")
	createFor := func(owner string) string {
		return strings.Replace(create, `"Owner_Account":"107867"`, `"Owner_Account":"`+owner+`"`, 1)
	}
	refused := `{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"refused by the app's policy"}`
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Run("default allows", func(t *testing.T) {
				h := start(t, b.URL(t))
				require.Equal(t, okEnvelope, h.deliver(t, create).Body)
				require.Equal(t, okEnvelope, h.deliver(t, add).Body)
			})
			t.Run("deny-lists", func(t *testing.T) {
				h := start(t, b.URL(t), func(c *config.Receiver, _ *receiver.Handlers) {
					c.DenyOwners = []string{"107867"}
					c.DenySubscribers = []string{"leckie", "nobody"}
				})
				require.Equal(t, refused, h.deliver(t, create).Body)
				require.Equal(t, okEnvelope, h.deliver(t, createFor("someone")).Body)
				require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["leckie"]}`, h.deliver(t, add).Body)
				events := h.events(t)
				require.Equal(t, refused, string(events[0].Answer))
				require.Empty(t, events[1].Answer)
			})
			t.Run("Go hooks", func(t *testing.T) {
				h := start(t, b.URL(t), withHandlers(receiver.Handlers{
					BeforeCreateOfficialAccount: func(_ context.Context, _ receiver.Event, b protocol.BeforeCreateOfficialAccount) (bool, error) {
						return b.OwnerAccount != "banned", nil
					},
					BeforeAddSubscriber: func(_ context.Context, _ receiver.Event, b protocol.Subscribers) ([]string, error) {
						return []string{"leckie", "jared", "leckie", "not-listed"}, nil
					},
				}))
				require.Equal(t, okEnvelope, h.deliver(t, create).Body)
				require.Equal(t, refused, h.deliver(t, createFor("banned")).Body)
				// Listed accounts only, once each, in the order of SubscribeAccountList.
				require.Equal(t, []string{"jared", "leckie"}, h.deliver(t, add).Env.RefusedMembers)
				require.Equal(t, mirror{}, h.mirror(t), "before-webhooks change no mirror")
			})
			t.Run("hook failure lets Tencent go ahead", func(t *testing.T) {
				h := start(t, b.URL(t), withHandlers(receiver.Handlers{
					BeforeCreateOfficialAccount: func(context.Context, receiver.Event, protocol.BeforeCreateOfficialAccount) (bool, error) {
						return false, errors.New("policy service down")
					},
				}))
				r := h.post(t, "/callback", h.query(protocol.CallbackBeforeCreateOfficialAccount, nil), create, nil)
				require.Equal(t, http.StatusInternalServerError, r.Status)
				require.NotContains(t, r.Body, "policy service down")
				require.Empty(t, h.events(t))
			})
		})
	}
}

// TestConcurrentDeliveries: the same event delivered many times at once is recorded once with
// every delivery counted, beside distinct events delivered at the same time.
func TestConcurrentDeliveries(t *testing.T) {
	const n = 8
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			same := sample(t, "Follow.CallbackAfterFollowAdd.json")
			var wg sync.WaitGroup
			statuses := make(chan int, 2*n)
			for i := range n {
				distinct := `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"u` + strconv.Itoa(i) +
					`","FollowList":[{"To_Account":"v"}],"EventTime":1702018343678}`
				for _, body := range []string{same, distinct} {
					url := h.URL + "/callback?" + h.query(protocol.CallbackAfterFollowAdd, nil)
					wg.Go(func() { // no require here: it must not stop another goroutine than the test's
						resp, err := http.Post(url, "application/json", strings.NewReader(body))
						if err != nil {
							statuses <- -1
							return
						}
						resp.Body.Close()
						statuses <- resp.StatusCode
					})
				}
			}
			wg.Wait()
			close(statuses)
			for s := range statuses {
				require.Equal(t, http.StatusOK, s)
			}
			events := h.events(t)
			require.Len(t, events, n+1)
			var total int64
			for _, e := range events {
				total += e.Deliveries
			}
			require.EqualValues(t, 2*n, total)
			require.Len(t, h.mirror(t).present(), n+2)
		})
	}
}
