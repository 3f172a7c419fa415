package e2e_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// service is one family of REST commands the shared checks are tried on.
type service struct {
	name    string
	follow  bool   // answers carry ErrorDisplay
	command string // a command of the service
	valid   string // a valid body of that command
	invalid string // a body that fails only the command's own validation
	want    string // the answer to invalid
	// notString is the ErrorInfo of {"From_Account":1,"UserID":1}: the command's own account member
	notString string
}

var services = []service{
	{
		name: "follow", follow: true, command: "follow/follow_add",
		valid:     `{"From_Account":"administrator","FollowItem":[{"To_Account":"administrator"}]}`,
		invalid:   `{"From_Account":"not_imported","FollowItem":[]}`,
		want:      fail(true, 30001, "FollowItem is required and must list 1 to 20 items"),
		notString: "From_Account must be a string",
	},
	{
		name: "account", follow: false, command: "im_open_login_svc/account_import",
		valid:     `{"UserID":"administrator"}`,
		invalid:   `{"UserID":"","Nick":"` + strings.Repeat("n", 501) + `"}`,
		want:      fail(false, 70402, "UserID must be a UserID of 1 to 32 bytes"),
		notString: "UserID must be a string", // From_Account is no member of account_import: ignored
	},
}

// TestSharedChecks makes the shared checks of docs/wire.md section 1. Each request breaks the rule
// under test AND later rules, so the answer shows the order: 60002, 60012, 60006, 60009, 60004,
// 70003, 70014, 70013, 70001, 70009, 60010, (60007: TestRateLimit), 60003, 60015, then the API's
// own validation. Every answer is compared whole: follow answers carry ErrorDisplay, others not.
func TestSharedChecks(t *testing.T) {
	t.Parallel()
	adminSig := gen(t, appID, key, admin, 86400)
	const old = 1600000000 // an issue time whose sigs have long expired
	ok := func(sig string) string { return servertest.QueryAs(appID, admin, sig) }
	as := func(identifier, sig string) string { return servertest.QueryAs(appID, identifier, sig) }
	const badBody = `[{"From_Account":1}]` // not an object (60003), with an account that is not a string
	type tc struct {
		name   string
		method string
		path   string // below /v4/; "" is the service's command
		query  string
		body   string
		code   int
		info   string
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "b")
			for _, svc := range services {
				other := "im_open_login_svc/account_import"
				if !svc.follow {
					other = "follow/follow_add"
				}
				service := strings.Split(svc.command, "/")[0]
				cases := []tc{
					{"GET breaks every rule", "GET", "", "", badBody, 60002, "method GET is not allowed: use POST"},
					{"PUT", "PUT", "", ok(adminSig), svc.valid, 60002, "method PUT is not allowed: use POST"},
					{"DELETE", "DELETE", "", ok(adminSig), svc.valid, 60002, "method DELETE is not allowed: use POST"},
					{"PATCH", "PATCH", "", ok(adminSig), svc.valid, 60002, "method PATCH is not allowed: use POST"},
					{"OPTIONS", "OPTIONS", "", ok(adminSig), svc.valid, 60002, "method OPTIONS is not allowed: use POST"},
					{"GET with a valid call", "GET", "", ok(adminSig), svc.valid, 60002, "method GET is not allowed: use POST"},
					{"bad percent escape", "POST", service + "/nope", "sdkappid=%zz&identifier=x", badBody, 60002, "query string does not parse"},
					{"semicolon separator", "POST", "", "sdkappid=1400000000;identifier=administrator&usersig=" + url.QueryEscape(adminSig), svc.valid, 60002, "query string does not parse"},
					{"escape in a later value", "POST", "", ok(adminSig) + "&random=%G1", svc.valid, 60002, "query string does not parse"},
					{"sdkappid twice", "POST", service + "/nope", ok(adminSig) + "&sdkappid=1400000000", badBody, 60002, "sdkappid is given more than once"},
					{"identifier twice", "POST", "", ok(adminSig) + "&identifier=administrator", svc.valid, 60002, "identifier is given more than once"},
					{"usersig twice", "POST", "", ok(adminSig) + "&usersig=" + url.QueryEscape(adminSig), svc.valid, 60002, "usersig is given more than once"},
					{"usersig twice, one empty", "POST", "", "usersig=&" + ok(adminSig), svc.valid, 60002, "usersig is given more than once"},
					{"random twice is not checked", "POST", "", ok(adminSig) + "&random=1&random=2", svc.invalid, 0, ""},

					{"sdkappid missing", "POST", service + "/nope", "identifier=nobody", badBody, 60012, "sdkappid is missing"},
					{"sdkappid empty", "POST", service + "/nope", "sdkappid=&identifier=nobody", badBody, 60012, "sdkappid is missing"},
					{"no query at all", "POST", "", "", svc.valid, 60012, "sdkappid is missing"},
					{"sdkappid spelt in another case", "POST", "", strings.Replace(ok(adminSig), "sdkappid=", "SdkAppid=", 1), svc.valid, 60012, "sdkappid is missing"},

					{"another app", "POST", service + "/nope", "sdkappid=1400000001&usersig=x", badBody, 60006, "sdkappid 1400000001 is not this app"},
					{"sdkappid not a number", "POST", service + "/nope", "sdkappid=app", badBody, 60006, "sdkappid app is not this app"},
					{"sdkappid negative", "POST", "", "sdkappid=-1400000000&identifier=administrator&usersig=" + url.QueryEscape(adminSig), svc.valid, 60006, "sdkappid -1400000000 is not this app"},
					{"sdkappid overflows", "POST", "", "sdkappid=99999999999999999999999", svc.valid, 60006, "sdkappid 99999999999999999999999 is not this app"},
					{"sdkappid with a space", "POST", "", "sdkappid=%201400000000", svc.valid, 60006, "sdkappid  1400000000 is not this app"},
					{"a 900 KB sdkappid is echoed to 100 characters", "POST", "", "sdkappid=" + strings.Repeat("9", 900<<10), svc.valid, 60006, "sdkappid " + strings.Repeat("9", 100) + "... is not this app"},

					{"sdkappid with a leading zero is the app", "POST", "", "sdkappid=0" + ok(adminSig)[len("sdkappid="):], svc.invalid, 0, ""},

					{"unknown command", "POST", service + "/nope", "sdkappid=1400000000", badBody, 60009, "unknown API /v4/" + service + "/nope"},
					{"command of the other service", "POST", service + "/" + strings.Split(other, "/")[1], ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "/" + strings.Split(other, "/")[1]},
					{"command in another case", "POST", service + "/" + strings.ToUpper(svc.command[len(service)+1:]), ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "/" + strings.ToUpper(svc.command[len(service)+1:])},
					{"trailing slash", "POST", svc.command + "/", ok(adminSig), svc.valid, 60009, "unknown API /v4/" + svc.command + "/"},
					{"path not in canonical form", "POST", service + "/../" + svc.command, ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "/../" + svc.command},
					{"double slash", "POST", service + "//" + svc.command[len(service)+1:], ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "//" + svc.command[len(service)+1:]},
					{"dot segment", "POST", service + "/./" + svc.command[len(service)+1:], ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "/./" + svc.command[len(service)+1:]},
					{"escaped slash", "POST", service + "%2F" + svc.command[len(service)+1:], ok(adminSig), svc.valid, 60009, "unknown API /v4/" + service + "%2F" + svc.command[len(service)+1:]},
					{"escaped letter", "POST", service + "/" + svc.command[len(service)+1:len(svc.command)-1] + "%" + fmt.Sprintf("%02X", svc.command[len(svc.command)-1]), ok(adminSig), svc.valid, 60009,
						"unknown API /v4/" + service + "/" + svc.command[len(service)+1:len(svc.command)-1] + "%" + fmt.Sprintf("%02X", svc.command[len(svc.command)-1])},

					{"identifier missing", "POST", "", "sdkappid=1400000000&usersig=junk", badBody, 60004, "identifier and usersig are required"},
					{"usersig missing", "POST", "", "sdkappid=1400000000&identifier=nobody", badBody, 60004, "identifier and usersig are required"},
					{"usersig empty", "POST", "", "sdkappid=1400000000&identifier=administrator&usersig=", svc.valid, 60004, "identifier and usersig are required"},
					{"identifier empty", "POST", "", "sdkappid=1400000000&identifier=&usersig=" + url.QueryEscape(adminSig), svc.valid, 60004, "identifier and usersig are required"},

					{"usersig not base64", "POST", "", as("nobody", "!!!"), badBody, 70003, "usersig is not valid base64"},
					{"usersig not zlib", "POST", "", as("nobody", tencentAlphabet.EncodeToString([]byte("not zlib"))), badBody, 70003, "usersig is not zlib-compressed"},
					{"usersig not JSON", "POST", "", as("nobody", pack(t, "TLS.identifier=nobody")), badBody, 70003, "usersig does not hold valid JSON"},
					{"usersig JSON Tencent's library misreports", "POST", "", ok(pack(t, `{"TLS.identifier":"administrator","TLS.sdkappid":"1400000000"}`)), svc.valid, 70003, "usersig does not hold valid JSON"},

					{"usersig of another app, identifier, key and long expired", "POST", "", ok(mint(t, appID+1, "wrong", "nobody", old, 60)), badBody, 70014, "usersig was made for another SDKAppID"},
					{"usersig of another identifier, expired, wrong key", "POST", "", ok(mint(t, appID, "wrong", "nobody", old, 60)), badBody, 70013, "usersig was made for another identifier"},
					{"usersig expired with a wrong key, not an admin", "POST", "", as("nobody", mint(t, appID, "wrong", "nobody", old, 60)), badBody, 70001, "usersig expired"},
					{"usersig with a wrong key, not an admin", "POST", "", as("nobody", gen(t, appID, "wrong", "nobody", 3600)), badBody, 70009, "usersig does not match the app's secret key"},
					{"not an administrator", "POST", "", as("nobody", gen(t, appID, key, "nobody", 3600)), badBody, 60010, "identifier nobody is not an administrator of this app"},
					{"an imported account is not an administrator", "POST", "", as("b", gen(t, appID, key, "b", 3600)), svc.valid, 60010, "identifier b is not an administrator of this app"},

					{"body not an object, with an account that is not a string", "POST", "", ok(adminSig), badBody, 60003, "request body must be a JSON object"},
					{"syntax error after an account that is not a string", "POST", "", ok(adminSig), `{"From_Account":1,"UserID":1`, 60003, "request body is not valid JSON: unexpected EOF"},
					{"account not a string, and the API's own rules broken", "POST", "", ok(adminSig), `{"From_Account":1,"UserID":1,"FollowItem":[]}`, 60015, svc.notString},
					{"the API's own validation", "POST", "", ok(adminSig), svc.invalid, 0, ""},
				}
				for _, c := range cases {
					t.Run(svc.name+"/"+c.name, func(t *testing.T) {
						path := c.path
						if path == "" {
							path = svc.command
						}
						pq := "/v4/" + path
						if c.query != "" {
							pq += "?" + c.query
						}
						got := s.Do(t, c.method, pq, strings.NewReader(c.body))
						want := svc.want
						if c.code != 0 {
							want = fail(svc.follow, c.code, c.info)
						}
						require.Equal(t, want, got)
					})
				}
			}
		})
	}
}

// TestUnknownService: a path outside the three services answers 60009 without ErrorDisplay.
func TestUnknownService(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, "sqlite::memory:")
	for _, path := range []string{"/v4/nope/follow_add", "/v4", "/v4/", "/v4//follow/follow_add", "/v4/follow", "/v4/official_account_open_http_svc_x/a"} {
		got := s.Post(t, path+"?"+s.Query(), `{}`)
		require.Equal(t, fail(false, 60009, "unknown API "+path), got, path)
	}
	// A path below /v4/follow/ is a follow answer even when the command is unknown.
	require.Equal(t, fail(true, 60009, "unknown API /v4/follow/follow_add/x"), s.Post(t, "/v4/follow/follow_add/x?"+s.Query(), `{}`))
}

// TestHead: HEAD gets HTTP 200 with no body (HTTP forbids one); it changes nothing.
func TestHead(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, "sqlite::memory:")
	req, err := http.NewRequest(http.MethodHead, s.URL+"/v4/follow/follow_add?"+s.Query(), nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
}
