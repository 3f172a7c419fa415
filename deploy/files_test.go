package deploy

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/awslabs/goformation/v7/schema"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
	"go.yaml.in/yaml/v3"
)

// root is the module root, seen from this package's folder.
const root = ".."

func discovered(t *testing.T) []Function {
	t.Helper()
	return Functions()
}

func readFile(t *testing.T, f File) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
	require.NoError(t, err)
	return b
}

func file(path string) File {
	for _, f := range Files() {
		if f.Path == path {
			return f
		}
	}
	panic("no generated file " + path)
}

func TestLayout(t *testing.T) {
	fns := discovered(t)
	byName := make(map[string]Function)
	for _, fn := range fns {
		byName[fn.Name] = fn
		switch fn.Kind {
		case REST:
			require.True(t, strings.HasPrefix(fn.Path, "/v4/"), fn.Name)
		case Receiver:
			require.True(t, fn.Path == "/callback" || strings.HasPrefix(fn.Path, "/callback/"), fn.Name)
		case Schedule:
			require.Empty(t, fn.Path, fn.Name)
		case Console:
			require.Equal(t, "/console", fn.Path, fn.Name)
		default:
			t.Fatalf("%s: unknown kind %q", fn.Name, fn.Kind)
		}
	}
	require.Equal(t, Function{Name: "follow-add", Main: "functions/follow-add/main", Kind: REST, Path: "/v4/follow/follow_add"}, byName["follow-add"])
	require.Equal(t, "/v4/im_open_login_svc/multiaccount_import", byName["multiaccount-import"].Path)
}

// TestGeneratedFilesAreCurrent keeps the checked-in files equal to what the generator writes.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	fns := discovered(t)
	for _, f := range Files() {
		want, err := f.Render(fns)
		require.NoError(t, err)
		got := readFile(t, f)
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what `go generate ./deploy` writes from the folders under functions/: run it and commit the result (first difference at line %d)",
				f.Path, firstDifference(got, want))
		}
	}
}

func firstDifference(a, b []byte) int {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// requireSameFunctions checks that a file lists exactly the folders under functions/; the
// failure names each entry to add (as the generator writes it) or to remove.
func requireSameFunctions(t *testing.T, f File, listed []string) {
	t.Helper()
	fns := discovered(t)
	var problems []string
	for _, fn := range fns {
		if !slices.Contains(listed, f.Key(fn)) {
			entry, err := f.Entry(fn)
			require.NoError(t, err)
			problems = append(problems, fmt.Sprintf("%s has no entry for functions/%s: add this under %s: (or run `go generate ./deploy`, which rewrites every deployment file)\n%s",
				f.Path, fn.Name, f.Section, entry))
		}
	}
	for _, key := range listed {
		if !slices.ContainsFunc(fns, func(fn Function) bool { return f.Key(fn) == key }) {
			problems = append(problems, fmt.Sprintf("%s lists %s under %s:, but functions/ has no such folder: remove the entry (or run `go generate ./deploy`)", f.Path, key, f.Section))
		}
	}
	if len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
}

// decodeStrict reads YAML into v, refusing keys v does not know: the test models exactly the
// keys the deployment tools take, so a misspelt key fails here.
func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(v))
}

// serverlessFile is the part of the Serverless Framework's schema serverless.yml uses.
type serverlessFile struct {
	Service              string `yaml:"service"`
	FrameworkVersion     string `yaml:"frameworkVersion"`
	ConfigValidationMode string `yaml:"configValidationMode"`
	Provider             struct {
		Name               string            `yaml:"name"`
		Runtime            string            `yaml:"runtime"`
		Architecture       string            `yaml:"architecture"`
		MemorySize         int               `yaml:"memorySize"`
		Timeout            int               `yaml:"timeout"`
		Stage              string            `yaml:"stage"`
		Region             string            `yaml:"region"`
		LogRetentionInDays int               `yaml:"logRetentionInDays"`
		Environment        map[string]string `yaml:"environment"`
	} `yaml:"provider"`
	Package struct {
		Individually bool `yaml:"individually"`
	} `yaml:"package"`
	Functions map[string]struct {
		Handler     string            `yaml:"handler"`
		Timeout     int               `yaml:"timeout"`
		Environment map[string]string `yaml:"environment"`
		Package     struct {
			Artifact string `yaml:"artifact"`
		} `yaml:"package"`
		Events []struct {
			HTTPAPI *struct {
				Method string `yaml:"method"`
				Path   string `yaml:"path"`
			} `yaml:"httpApi"`
			Schedule string `yaml:"schedule"`
		} `yaml:"events"`
	} `yaml:"functions"`
}

func TestServerlessYML(t *testing.T) {
	f := file("serverless.yml")
	var s serverlessFile
	decodeStrict(t, readFile(t, f), &s)
	require.Equal(t, "aws", s.Provider.Name)
	require.Equal(t, "provided.al2023", s.Provider.Runtime)
	require.Equal(t, "arm64", s.Provider.Architecture)
	require.Equal(t, "error", s.ConfigValidationMode)
	require.Empty(t, s.Provider.Environment, "no provider-wide environment")
	requireSameFunctions(t, f, slices.Sorted(maps.Keys(s.Functions)))
	for _, fn := range discovered(t) {
		got := s.Functions[fn.Name]
		requireEnvironment(t, fn, got.Environment, func(v Variable, value string) {
			require.True(t, strings.HasPrefix(value, "${param:"+v.Param), "%s comes from the stage parameter %s: %s", v.Env, v.Param, value)
			if v.Secret {
				require.Contains(t, value, ", ssm:/chatfollow/${sls:stage}/", "%s falls back to SSM", v.Env)
			}
		})
		require.Equal(t, "bootstrap", got.Handler, fn.Name)
		require.Equal(t, "dist/"+fn.Name+".zip", got.Package.Artifact, fn.Name)
		require.Len(t, got.Events, httpEvents(fn), fn.Name)
		ev := got.Events[0]
		if fn.Kind == Schedule {
			require.Nil(t, ev.HTTPAPI, fn.Name)
			require.Equal(t, "rate(1 minute)", ev.Schedule, fn.Name)
			continue
		}
		require.NotNil(t, ev.HTTPAPI, "%s has an httpApi event", fn.Name)
		require.Equal(t, method(fn), ev.HTTPAPI.Method, fn.Name)
		require.Equal(t, fn.Path, ev.HTTPAPI.Path, fn.Name)
		if fn.Kind == Console {
			require.Equal(t, fn.Path+"/{proxy+}", got.Events[1].HTTPAPI.Path, fn.Name)
		}
	}
}

// requireEnvironment checks that env, the environment of fn, sets exactly the Variables fn
// reads, each from a parameter (check says how) and none to a literal.
func requireEnvironment(t *testing.T, fn Function, env map[string]string, check func(Variable, string)) {
	t.Helper()
	var names []string
	for _, v := range Environment(fn) {
		names = append(names, v.Env)
		value, ok := env[v.Env]
		require.True(t, ok, "%s is set", v.Env)
		require.True(t, strings.HasPrefix(value, "${") && strings.HasSuffix(value, "}"), "%s is not a literal: %s", v.Env, value)
		check(v, value)
	}
	require.ElementsMatch(t, names, slices.Collect(maps.Keys(env)))
}

// samSchema is the SAM JSON schema goformation ships, compiled once: it is large.
var samSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	return gojsonschema.NewSchema(gojsonschema.NewStringLoader(schema.SamSchema))
})

// validateSAM validates a SAM template, intrinsic functions resolved with every parameter given.
func validateSAM(t *testing.T, template []byte) *gojsonschema.Result {
	t.Helper()
	doc, err := intrinsics.ProcessYAML(template, &intrinsics.ProcessorOptions{ParameterOverrides: samParameters()})
	require.NoError(t, err)
	s, err := samSchema()
	require.NoError(t, err)
	result, err := s.Validate(gojsonschema.NewBytesLoader(doc))
	require.NoError(t, err)
	return result
}

// samParameters gives every parameter of template.yaml a value, as a deployment must.
func samParameters() map[string]any {
	params := make(map[string]any)
	for _, v := range Variables() {
		params[v.SAMParam()] = "value-of-" + v.Param
	}
	return params
}

// TestSAMTemplateSchema validates template.yaml, intrinsic functions resolved, against the SAM
// JSON schema goformation ships: goformation's parser alone drops mistakes inside event
// properties, the schema does not.
//
// The SAM tests run one at a time: goformation's intrinsics parser walks a package-level map
// while another parse may write it (a data race under -race).
func TestSAMTemplateSchema(t *testing.T) {
	result := validateSAM(t, readFile(t, file("template.yaml")))
	var problems []string
	for _, e := range result.Errors() {
		problems = append(problems, e.String())
	}
	require.True(t, result.Valid(), "template.yaml does not follow the SAM schema:\n%s", strings.Join(problems, "\n"))
}

// TestSAMSchemaCatchesMistakes: the schema check refuses template.yaml with one mistake of each
// kind a hand edit makes, in the Globals, in a function's properties and in an event's properties
// (where goformation's parser alone would drop it), and its errors name the mistake.
func TestSAMSchemaCatchesMistakes(t *testing.T) {
	good := readFile(t, file("template.yaml"))
	for _, c := range []struct{ name, from, to, reported string }{
		{"misspelt event property", "            Method: POST", "            Methd: POST", "Methd"},
		{"misspelt function property", "      CodeUri: dist/", "      CodeURI: dist/", "CodeURI"},
		{"memory not a number", "    MemorySize: 256", "    MemorySize: lots", "MemorySize"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := bytes.Replace(good, []byte(c.from), []byte(c.to), 1)
			require.NotEqual(t, good, bad, "template.yaml has %q", c.from)
			result := validateSAM(t, bad)
			require.False(t, result.Valid())
			var problems []string
			for _, e := range result.Errors() {
				problems = append(problems, e.String())
			}
			require.Contains(t, strings.Join(problems, "\n"), c.reported)
		})
	}
}

func TestSAMTemplate(t *testing.T) {
	f := file("template.yaml")
	raw := readFile(t, f)
	tmpl, err := goformation.ParseYAMLWithOptions(raw, &intrinsics.ProcessorOptions{ParameterOverrides: samParameters()})
	require.NoError(t, err)
	require.Equal(t, "AWS::Serverless-2016-10-31", *tmpl.Transform.String)

	// The raw template: secrets are NoEcho parameters, every variable a !Ref to its parameter.
	var doc struct {
		Parameters map[string]struct {
			Type    string  `yaml:"Type"`
			NoEcho  bool    `yaml:"NoEcho"`
			Default *string `yaml:"Default"`
		} `yaml:"Parameters"`
		Globals struct {
			Function map[string]yaml.Node `yaml:"Function"`
		} `yaml:"Globals"`
		Resources map[string]struct {
			Properties struct {
				Environment struct {
					Variables map[string]yaml.Node `yaml:"Variables"`
				} `yaml:"Environment"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	require.NotContains(t, doc.Globals.Function, "Environment", "no Globals environment")
	for _, v := range Variables() {
		p, ok := doc.Parameters[v.SAMParam()]
		require.True(t, ok, "parameter %s", v.SAMParam())
		require.Equal(t, "String", p.Type)
		require.Equal(t, v.Secret, p.NoEcho, "%s is NoEcho exactly when secret", v.SAMParam())
		require.Equal(t, v.Optional, p.Default != nil, "%s has a default exactly when optional", v.SAMParam())
		if p.Default != nil {
			require.Empty(t, *p.Default)
		}
	}
	for _, fn := range discovered(t) {
		vars := doc.Resources[f.Key(fn)].Properties.Environment.Variables
		require.Len(t, vars, len(Environment(fn)), fn.Name)
		for _, v := range Environment(fn) {
			n := vars[v.Env]
			require.Equal(t, "!Ref", n.Tag, "%s of %s is a !Ref, not a literal", v.Env, fn.Name)
			require.Equal(t, v.SAMParam(), n.Value)
		}
	}

	g, err := tmpl.GetServerlessGlobalFunction()
	require.NoError(t, err)
	require.Equal(t, "provided.al2023", *g.Runtime)
	require.Equal(t, "bootstrap", *g.Handler)
	require.Equal(t, []string{"arm64"}, *g.Architectures)
	require.NotNil(t, g.Timeout)
	require.NotNil(t, g.MemorySize)

	resources := tmpl.GetAllServerlessFunctionResources()
	requireSameFunctions(t, f, slices.Sorted(maps.Keys(resources)))
	for _, fn := range discovered(t) {
		r := resources[f.Key(fn)]
		require.Nil(t, r.Runtime, "%s takes Runtime from Globals", fn.Name)
		require.Nil(t, r.Handler, fn.Name)
		require.Empty(t, r.Architectures, fn.Name)
		require.Nil(t, r.Policies, "%s keeps SAM's default role, which may only write logs", fn.Name)
		require.Equal(t, "dist/"+fn.Name+"/", *r.CodeUri.String, fn.Name)
		require.Len(t, r.Events, httpEvents(fn), fn.Name)
		for name, ev := range r.Events {
			if fn.Kind == Schedule {
				require.Equal(t, "Schedule", ev.Type, fn.Name)
				require.NotNil(t, ev.Properties.ScheduleEvent, fn.Name)
				require.Equal(t, "rate(1 minute)", ev.Properties.ScheduleEvent.Schedule, fn.Name)
				continue
			}
			require.Equal(t, "HttpApi", ev.Type, fn.Name)
			// HttpApi and Api events have the same keys; goformation fills both.
			api := ev.Properties.HttpApiEvent
			require.NotNil(t, api, fn.Name)
			require.Equal(t, method(fn), *api.Method, fn.Name)
			if name == "Pages" {
				require.Equal(t, fn.Path+"/{proxy+}", *api.Path, fn.Name)
				continue
			}
			require.Equal(t, fn.Path, *api.Path, fn.Name)
		}
	}
}

// tencentFile is the part of the serverless-tencent-scf plugin's schema the descriptor uses: the
// keys its provider reads (provider/tencentProvider.js of the plugin).
type tencentFile struct {
	Service  string `yaml:"service"`
	Provider struct {
		Name        string `yaml:"name"`
		Runtime     string `yaml:"runtime"`
		Region      string `yaml:"region"`
		Credentials string `yaml:"credentials"`
		MemorySize  int    `yaml:"memorySize"`
		Timeout     int    `yaml:"timeout"`
		APIGateway  struct {
			ServiceID string `yaml:"serviceId"`
		} `yaml:"apiGateway"`
		Environment struct {
			Variables map[string]string `yaml:"variables"`
		} `yaml:"environment"`
	} `yaml:"provider"`
	Plugins []string `yaml:"plugins"`
	Package struct {
		Artifact string `yaml:"artifact"`
	} `yaml:"package"`
	Functions map[string]struct {
		Handler     string `yaml:"handler"`
		Timeout     int    `yaml:"timeout"`
		Environment struct {
			Variables map[string]string `yaml:"variables"`
		} `yaml:"environment"`
		Events []struct {
			APIGW *struct {
				Name       string `yaml:"name"`
				Parameters struct {
					StageName          string `yaml:"stageName"`
					ServiceID          string `yaml:"serviceId"`
					HTTPMethod         string `yaml:"httpMethod"`
					Path               string `yaml:"path"`
					IntegratedResponse bool   `yaml:"integratedResponse"`
					ServiceTimeout     int    `yaml:"serviceTimeout"`
					Enable             bool   `yaml:"enable"`
				} `yaml:"parameters"`
			} `yaml:"apigw"`
			Timer *struct {
				Name       string `yaml:"name"`
				Parameters struct {
					CronExpression string `yaml:"cronExpression"`
					Enable         bool   `yaml:"enable"`
				} `yaml:"parameters"`
			} `yaml:"timer"`
		} `yaml:"events"`
	} `yaml:"functions"`
}

// TestTencentDescriptor checks deploy/tencent/serverless.yml the way the plugin would read it
// (the plugin itself cannot run offline).
func TestTencentDescriptor(t *testing.T) {
	f := file("deploy/tencent/serverless.yml")
	var s tencentFile
	decodeStrict(t, readFile(t, f), &s)
	require.Equal(t, "tencent", s.Provider.Name)
	require.Equal(t, "Go1", s.Provider.Runtime)
	require.Equal(t, []string{"serverless-tencent-scf"}, s.Plugins)
	require.Equal(t, "../../dist/tencent/chatfollow.zip", s.Package.Artifact)
	require.Equal(t, "${env:TENCENT_APIGW_SERVICE_ID}", s.Provider.APIGateway.ServiceID, "one API Gateway service for every function")
	require.Empty(t, s.Provider.Environment.Variables, "no provider-wide environment")
	requireSameFunctions(t, f, slices.Sorted(maps.Keys(s.Functions)))
	for _, fn := range discovered(t) {
		got := s.Functions[fn.Name]
		requireEnvironment(t, fn, got.Environment.Variables, func(v Variable, value string) {
			want := "${env:" + v.Env + "}"
			if v.Optional {
				want = "${env:" + v.Env + ", ''}"
			}
			require.Equal(t, want, value)
		})
		require.Equal(t, fn.Name, got.Handler, "%s: a Go1 handler names the binary in the package", fn.Name)
		require.Len(t, got.Events, 1, fn.Name)
		ev := got.Events[0]
		if fn.Kind == Schedule {
			require.NotNil(t, ev.Timer, fn.Name)
			require.Equal(t, "*/1 * * * *", ev.Timer.Parameters.CronExpression)
			require.True(t, ev.Timer.Parameters.Enable)
			continue
		}
		require.NotNil(t, ev.APIGW, fn.Name)
		p := ev.APIGW.Parameters
		require.Equal(t, method(fn), p.HTTPMethod, fn.Name)
		require.Equal(t, fn.Path, p.Path, fn.Name)
		require.True(t, p.IntegratedResponse, "%s: the function answers statusCode, headers and body", fn.Name)
		require.True(t, p.Enable, fn.Name)
		require.Equal(t, "release", p.StageName, fn.Name)
	}
}

// method is the HTTP method a function's route accepts: the console's pages take GET and POST.
func method(fn Function) string {
	if fn.Kind == Console {
		return "ANY"
	}
	return "POST"
}

// httpEvents is how many events route to fn on AWS: the console also has /console/{proxy+}.
func httpEvents(fn Function) int {
	if fn.Kind == Console {
		return 2
	}
	return 1
}
