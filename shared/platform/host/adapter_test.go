package host

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
	scfevents "github.com/tencentyun/scf-go-lib/events"
)

// seen is what the echo handler saw of one request.
type seen struct {
	Method, Path, RawQuery, RemoteAddr, Host string
	Header                                   http.Header
	Body                                     []byte
}

// echo is a function whose handler records each request and answers 201 with a repeated header
// and a fixed body.
type echo struct {
	mu   sync.Mutex
	seen []seen
}

func (e *echo) function() Function {
	return handlerFunction(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.seen = append(e.seen, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.RemoteAddr, r.Host, r.Header.Clone(), body})
		e.mu.Unlock()
		w.Header().Add("X-Answer", "a")
		w.Header().Add("X-Answer", "b")
		w.Header().Add("Set-Cookie", "c1=1")
		w.Header().Add("Set-Cookie", "c2=2")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"answer":true}`))
	})
}

// handlerFunction is a function serving h, with nothing to open or close.
func handlerFunction(h http.HandlerFunc) Function {
	return Function{Open: func(context.Context, context.Context) (*Unit, error) { return &Unit{Handler: h}, nil }}
}

func (e *echo) last(t *testing.T) seen {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	require.NotEmpty(t, e.seen, "the handler saw no request")
	return e.seen[len(e.seen)-1]
}

// testInstance is an instance of fn.
func testInstance(t *testing.T, fn Function) *instance {
	t.Helper()
	in := newInstance(t.Context(), slog.New(slog.NewTextHandler(io.Discard, nil)), fn)
	t.Cleanup(in.close)
	return in
}

// awsFixture reads an event that aws-lambda-go ships in events/testdata.
func awsFixture(t *testing.T, name string) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-lambda-go").Output()
	require.NoError(t, err, "locate aws-lambda-go")
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "events", "testdata", name))
	require.NoError(t, err)
	return b
}

// TestLambdaV1Fixtures feeds aws-lambda-go's own payload 1.0 samples to the adapter. The
// expected request is written out from the sample files, not decoded by the code under test.
func TestLambdaV1Fixtures(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"apigw-request.json", "apigw-restapi-openapi-request.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := &echo{}
			out, err := lambdaHandler{testInstance(t, e.function())}.Invoke(t.Context(), awsFixture(t, name))
			require.NoError(t, err)

			got := e.last(t)
			require.Equal(t, "POST", got.Method)
			require.Equal(t, "/hello/world", got.Path)
			query, err := url.ParseQuery(got.RawQuery)
			require.NoError(t, err)
			require.Equal(t, url.Values{"name": {"me"}}, query)
			require.Equal(t, "{\r\n\t\"a\": 1\r\n}", string(got.Body))
			require.Equal(t, "192.168.196.186", got.RemoteAddr)
			require.Equal(t, "gy415nuibc.execute-api.us-east-1.amazonaws.com", got.Host)
			require.Equal(t, []string{"*/*"}, got.Header.Values("Accept"))
			require.Equal(t, []string{"gzip, deflate"}, got.Header.Values("Accept-Encoding"))
			require.Equal(t, []string{"no-cache"}, got.Header.Values("Cache-Control"))

			var resp events.APIGatewayProxyResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			require.Equal(t, `{"answer":true}`, resp.Body)
			require.False(t, resp.IsBase64Encoded)
			require.Equal(t, []string{"a", "b"}, resp.MultiValueHeaders["X-Answer"])
			require.Equal(t, []string{"c1=1", "c2=2"}, resp.MultiValueHeaders["Set-Cookie"])
		})
	}
}

// TestLambdaV2Fixtures feeds aws-lambda-go's own payload 2.0 samples to the adapter; the
// expected request is written out from the sample files.
func TestLambdaV2Fixtures(t *testing.T) {
	t.Parallel()
	const query = "parameter1=value1&parameter1=value2&parameter2=value"
	const body = "{\r\n\t\"a\": 1\r\n}"
	headers := map[string]string{"Header1": "value1", "Header2": "value2"}
	for _, c := range []struct {
		name, method, path, query, body, remote string
		headers                                 map[string]string
		cookie                                  string
	}{
		{"apigw-v2-request-no-authorizer.json", "GET", "/", "", "", "1.2.3.4",
			map[string]string{"Accept": "*/*", "Content-Length": "0"}, ""},
		{"apigw-v2-request-iam.json", "GET", "/my/path", query, body, "IP", headers, "cookie1; cookie2"},
		{"apigw-v2-request-jwt-authorizer.json", "GET", "/my/path", query, body, "IP", headers, "cookie1; cookie2"},
		{"apigw-v2-request-lambda-authorizer.json", "GET", "/my/path", query, body, "IP", headers, "cookie1; cookie2"},
		{"apigw-v2-custom-authorizer-v2-request.json", "POST", "/my/path", query, "", "IP", headers, "cookie1; cookie2"}, // no body
		{"lambda-urls-request.json", "POST", "/my/path", query, "Hello from client!", "123.123.123.123", // function URL, same payload
			map[string]string{"Header1": "value1", "Header2": "value1,value2"}, "cookie1; cookie2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := &echo{}
			out, err := lambdaHandler{testInstance(t, e.function())}.Invoke(t.Context(), awsFixture(t, c.name))
			require.NoError(t, err)

			got := e.last(t)
			require.Equal(t, c.method, got.Method)
			require.Equal(t, c.path, got.Path)
			require.Equal(t, c.query, got.RawQuery, "the raw query string arrives as sent")
			require.Equal(t, c.body, string(got.Body))
			require.Equal(t, c.remote, got.RemoteAddr)
			for k, v := range c.headers {
				require.Equal(t, v, got.Header.Get(k), "header %s", k)
			}
			require.Equal(t, c.cookie, got.Header.Get("Cookie"))

			var resp events.APIGatewayV2HTTPResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			require.Equal(t, `{"answer":true}`, resp.Body)
			require.Equal(t, "a,b", resp.Headers["X-Answer"])
			require.NotContains(t, resp.Headers, "Set-Cookie")
			require.Equal(t, []string{"c1=1", "c2=2"}, resp.Cookies)
		})
	}
}

// restQuery is the query string of a Tencent REST call, with the characters a UserSig holds.
const restQuery = "sdkappid=1400000000&identifier=administrator&usersig=eJw1j8*-_x+y%2Fz%3D&random=99999999&contenttype=json"

func TestLambdaHandMadeEvents(t *testing.T) {
	body := `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`
	b64 := base64.StdEncoding.EncodeToString([]byte(body))
	tests := []struct {
		name      string
		event     string
		path      string
		query     url.Values // compared parsed; nil: compare rawQuery
		rawQuery  string
		body      string
		remote    string
		v2        bool
		userAgent string
	}{{
		name: "v1 multi-value query and base64 body",
		event: `{"httpMethod":"POST","path":"/v4/follow/follow_add",
			"multiValueQueryStringParameters":{"sdkappid":["1400000000"],"usersig":["eJw1j8*-_x+y/z="],"tag":["1","2"]},
			"queryStringParameters":{"sdkappid":"1400000000","usersig":"eJw1j8*-_x+y/z=","tag":"2"},
			"multiValueHeaders":{"User-Agent":["curl"],"X-Many":["1","2"]},
			"requestContext":{"stage":"prod","identity":{"sourceIp":"203.0.113.9"}},
			"isBase64Encoded":true,"body":"` + b64 + `"}`,
		path:      "/v4/follow/follow_add",
		query:     url.Values{"sdkappid": {"1400000000"}, "usersig": {"eJw1j8*-_x+y/z="}, "tag": {"1", "2"}},
		body:      body,
		remote:    "203.0.113.9",
		userAgent: "curl",
	}, {
		name: "v1 single-value query, no body",
		event: `{"httpMethod":"POST","path":"/callback","queryStringParameters":{"SdkAppid":"1400000000","CallbackCommand":"Follow.CallbackAfterFollowAdd"},
			"headers":{"user-agent":"tencent"},"requestContext":{"identity":{"sourceIp":"198.51.100.7"}}}`,
		path:      "/callback",
		query:     url.Values{"SdkAppid": {"1400000000"}, "CallbackCommand": {"Follow.CallbackAfterFollowAdd"}},
		remote:    "198.51.100.7",
		userAgent: "tencent",
	}, {
		name: "v2 raw query and base64 body",
		event: `{"version":"2.0","rawPath":"/v4/follow/follow_add","rawQueryString":"` + restQuery + `",
			"headers":{"user-agent":"curl","content-type":"application/json"},
			"requestContext":{"stage":"$default","http":{"method":"POST","path":"/v4/follow/follow_add","sourceIp":"2001:db8::1"}},
			"isBase64Encoded":true,"body":"` + b64 + `"}`,
		path:      "/v4/follow/follow_add",
		rawQuery:  restQuery,
		body:      body,
		remote:    "2001:db8::1",
		v2:        true,
		userAgent: "curl",
	}, {
		name: "v2 on a named stage, no body",
		event: `{"version":"2.0","rawPath":"/prod/callback/Follow.CallbackAfterFollowAdd","rawQueryString":"a=1&a=2&b",
			"headers":{"user-agent":"tencent"},
			"requestContext":{"stage":"prod","http":{"method":"POST","path":"/prod/callback/Follow.CallbackAfterFollowAdd","sourceIp":"192.0.2.1"}},
			"isBase64Encoded":false}`,
		path:      "/callback/Follow.CallbackAfterFollowAdd",
		rawQuery:  "a=1&a=2&b",
		remote:    "192.0.2.1",
		v2:        true,
		userAgent: "tencent",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &echo{}
			out, err := lambdaHandler{testInstance(t, e.function())}.Invoke(t.Context(), []byte(tt.event))
			require.NoError(t, err)
			got := e.last(t)
			require.Equal(t, http.MethodPost, got.Method)
			require.Equal(t, tt.path, got.Path)
			if tt.query != nil {
				q, err := url.ParseQuery(got.RawQuery)
				require.NoError(t, err)
				require.Equal(t, tt.query, q)
			} else {
				require.Equal(t, tt.rawQuery, got.RawQuery)
			}
			require.Equal(t, tt.body, string(got.Body))
			require.Equal(t, tt.remote, got.RemoteAddr)
			require.Equal(t, tt.userAgent, got.Header.Get("User-Agent"))
			if tt.v2 {
				var resp events.APIGatewayV2HTTPResponse
				require.NoError(t, json.Unmarshal(out, &resp))
				require.Equal(t, http.StatusCreated, resp.StatusCode)
			} else {
				var resp events.APIGatewayProxyResponse
				require.NoError(t, json.Unmarshal(out, &resp))
				require.Equal(t, http.StatusCreated, resp.StatusCode)
				if strings.Contains(tt.event, "X-Many") {
					require.Equal(t, []string{"1", "2"}, got.Header.Values("X-Many"))
				}
			}
		})
	}
}

func TestSCFEvents(t *testing.T) {
	body := `{"CheckItem":[{"UserID":"a"}]}`
	b64 := base64.StdEncoding.EncodeToString([]byte(body))
	tests := []struct {
		name  string
		event string
		path  string
		query url.Values
		body  string
	}{{
		name: "repeated key, key without value, base64 body",
		event: `{"requestContext":{"serviceId":"service-f94sy04v","path":"/v4/im_open_login_svc/account_check","httpMethod":"POST",
				"requestId":"c6af9ac6","identity":{"secretId":"abc"},"sourceIp":"10.0.2.14","stage":"release"},
			"headers":{"Host":"service-3ei3tii4-251000691.ap-guangzhou.apigateway.myqloud.com","User-Agent":"curl","Content-Type":"application/json"},
			"body":"` + b64 + `","isBase64Encoded":true,
			"pathParameters":{},"queryStringParameters":{},"headerParameters":{},"stageVariables":{"stage":"release"},
			"path":"/v4/im_open_login_svc/account_check",
			"queryString":{"sdkappid":"1400000000","usersig":"eJw1j8*-_x+y/z=","tag":["1","2"],"flag":true},
			"httpMethod":"POST"}`,
		path:  "/v4/im_open_login_svc/account_check",
		query: url.Values{"sdkappid": {"1400000000"}, "usersig": {"eJw1j8*-_x+y/z="}, "tag": {"1", "2"}, "flag": {""}},
		body:  body,
	}, {
		name: "plain body",
		event: `{"requestContext":{"sourceIp":"10.0.2.14"},"headers":{"User-Agent":"curl"},"body":"` + strings.ReplaceAll(body, `"`, `\"`) + `",
			"path":"/callback","queryString":{"CallbackCommand":"Follow.CallbackAfterFollowAdd"},"httpMethod":"POST"}`,
		path:  "/callback",
		query: url.Values{"CallbackCommand": {"Follow.CallbackAfterFollowAdd"}},
		body:  body,
	}, {
		name:  "no body, no query",
		event: `{"requestContext":{"sourceIp":"10.0.2.14"},"headers":{"User-Agent":"curl"},"path":"/callback","httpMethod":"POST"}`,
		path:  "/callback",
		query: url.Values{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &echo{}
			out, err := scfHandler{testInstance(t, e.function())}.Invoke(t.Context(), []byte(tt.event))
			require.NoError(t, err)
			got := e.last(t)
			require.Equal(t, http.MethodPost, got.Method)
			require.Equal(t, tt.path, got.Path)
			q, err := url.ParseQuery(got.RawQuery)
			require.NoError(t, err)
			require.Equal(t, tt.query, q)
			require.Equal(t, tt.body, string(got.Body))
			require.Equal(t, "10.0.2.14", got.RemoteAddr)
			require.Equal(t, "curl", got.Header.Get("User-Agent"))

			var resp scfevents.APIGatewayResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			require.Equal(t, http.StatusCreated, resp.StatusCode)
			require.Equal(t, `{"answer":true}`, resp.Body)
			require.False(t, resp.IsBase64Encoded)
			require.Equal(t, "a,b", resp.Headers["X-Answer"])
			require.Equal(t, "c1=1", resp.Headers["Set-Cookie"])
		})
	}
}

func TestBinaryBodyTravelsBase64(t *testing.T) {
	binary := []byte{0xff, 0xfe, 0x00, 0x01}
	fn := handlerFunction(func(w http.ResponseWriter, r *http.Request) { w.Write(binary) })
	in := testInstance(t, fn)
	event := `{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"POST","path":"/x","sourceIp":"192.0.2.1"}}}`
	out, err := lambdaHandler{in}.Invoke(t.Context(), []byte(event))
	require.NoError(t, err)
	var resp events.APIGatewayV2HTTPResponse
	require.NoError(t, json.Unmarshal(out, &resp))
	require.Equal(t, http.StatusOK, resp.StatusCode, "a handler that writes without a status answered 200")
	require.True(t, resp.IsBase64Encoded)
	require.Equal(t, base64.StdEncoding.EncodeToString(binary), resp.Body)
}

func TestBadEvents(t *testing.T) {
	in := testInstance(t, (&echo{}).function())
	for _, tt := range []struct{ name, event, want string }{
		{"not JSON", `{"httpMethod":`, "event"},
		{"scheduled event to an HTTP function", `{"version":"0","detail-type":"Scheduled Event","source":"aws.events"}`, "unsupported event"},
		{"bad base64 body", `{"httpMethod":"POST","path":"/x","isBase64Encoded":true,"body":"***"}`, "base64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lambdaHandler{in}.Invoke(t.Context(), []byte(tt.event))
			require.ErrorContains(t, err, tt.want)
			_, err = scfHandler{in}.Invoke(t.Context(), []byte(strings.Replace(tt.event, `"version":"0",`, "", 1)))
			require.Error(t, err)
		})
	}
}

func TestEncodeQuery(t *testing.T) {
	require.Equal(t, "", encodeQuery(nil))
	require.Equal(t, "a=1&a=2&b&c=x+y%2Fz%3D%26", encodeQuery(map[string][]string{"c": {"x y/z=&"}, "a": {"1", "2"}, "b": {}}))
}
