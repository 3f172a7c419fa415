package deploy

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// Least privilege (docs/product.md): a deployed function is given only the variables it reads;
// REST functions and the dispatcher never see RECEIVER_* secrets; receivers never see
// CHAT_SECRET_KEY, the app's database or the callback token; no secret sits in a provider-wide
// or Globals environment. The expectations are written out here, not derived from
// Variables(), so the generator cannot agree with itself into a leak.
var (
	// What each REST operation reads: UserSig checks, the store, and webhook sending.
	restReads = []string{"CHAT_SDKAPPID", "CHAT_ADMINS", "CHAT_SECRET_KEY", "CHAT_DATABASE_URL",
		"CHAT_CALLBACK_TOKEN", "CHAT_CALLBACK_URL", "CHAT_CALLBACK_HMAC_SECRET"}
	// The dispatcher sends webhooks from the outbox; it checks and mints no UserSig.
	dispatcherReads = []string{"CHAT_SDKAPPID", "CHAT_DATABASE_URL", "CHAT_CALLBACK_TOKEN", "CHAT_CALLBACK_URL", "CHAT_CALLBACK_HMAC_SECRET"}
	// Every receiver; the deny-lists only where the before-webhook they decide is received.
	receiverReads = []string{"RECEIVER_SDKAPPID", "RECEIVER_TOKENS", "RECEIVER_DATABASE_URL", "RECEIVER_HMAC_SECRETS"}
	// The console reads the outbox and its history, and the receivers' log and mirror.
	consoleReads = []string{"CHAT_DATABASE_URL", "RECEIVER_DATABASE_URL", "CHAT_CONSOLE_TOKEN"}
	denyOwners   = []string{"callback", "on-before-create-official-account"}
	denySubs     = []string{"callback", "on-before-add-subscriber"}

	secrets = []string{"CHAT_SECRET_KEY", "CHAT_DATABASE_URL", "CHAT_CALLBACK_TOKEN", "CHAT_CALLBACK_HMAC_SECRET",
		"RECEIVER_TOKENS", "RECEIVER_DATABASE_URL", "RECEIVER_HMAC_SECRETS", "CHAT_CONSOLE_TOKEN"}
)

// reads is what the function named name must be given, exactly.
func reads(name string) []string {
	switch {
	case name == "webhook-dispatch":
		return dispatcherReads
	case name == "console":
		return consoleReads
	case name == "callback" || strings.HasPrefix(name, "on-"):
		want := slices.Clone(receiverReads)
		if slices.Contains(denyOwners, name) {
			want = append(want, "RECEIVER_DENY_OWNERS")
		}
		if slices.Contains(denySubs, name) {
			want = append(want, "RECEIVER_DENY_SUBSCRIBERS")
		}
		return want
	}
	return restReads
}

// requireLeastPrivilege checks the environments of one file's functions, by function name;
// secretFrom tells whether a secret's value comes from a secret store, not the file.
func requireLeastPrivilege(t *testing.T, path string, envs map[string]map[string]string, secretFrom func(name, value string) bool) {
	t.Helper()
	require.ElementsMatch(t, names(t), slices.Collect(maps.Keys(envs)), "%s: every function has its own environment", path)
	for fn, env := range envs {
		got := slices.Sorted(maps.Keys(env))
		require.ElementsMatch(t, reads(fn), got, "%s: %s is given exactly what it reads", path, fn)
		receiver := fn == "callback" || strings.HasPrefix(fn, "on-")
		for _, name := range got {
			switch {
			case receiver:
				require.True(t, strings.HasPrefix(name, "RECEIVER_"), "%s: receiver %s sees %s", path, fn, name)
			case fn == "console": // reads the receivers' log and mirror, besides the outbox
			default: // REST operations and the dispatcher
				require.False(t, strings.HasPrefix(name, "RECEIVER_"), "%s: %s sees %s", path, fn, name)
			}
			if slices.Contains(secrets, name) {
				require.True(t, secretFrom(name, env[name]), "%s: %s of %s is not read from a secret store: %s", path, name, fn, env[name])
			}
		}
	}
}

// names lists the functions under functions/.
func names(t *testing.T) []string {
	var out []string
	for _, fn := range discovered(t) {
		out = append(out, fn.Name)
	}
	return out
}

func TestLeastPrivilegeServerless(t *testing.T) {
	for _, path := range []string{"serverless.yml", "deploy/tencent/serverless.yml"} {
		t.Run(path, func(t *testing.T) {
			var doc struct {
				Provider  map[string]any `yaml:"provider"`
				Functions map[string]struct {
					Environment map[string]any `yaml:"environment"`
				} `yaml:"functions"`
			}
			require.NoError(t, yaml.Unmarshal(readFile(t, file(path)), &doc))
			require.NotContains(t, doc.Provider, "environment", "no provider-wide environment")
			envs := map[string]map[string]string{}
			for name, fn := range doc.Functions {
				vars := fn.Environment
				if path != "serverless.yml" { // the Tencent plugin nests them under variables
					vars, _ = fn.Environment["variables"].(map[string]any)
				}
				env := map[string]string{}
				for k, v := range vars {
					env[k], _ = v.(string)
				}
				envs[name] = env
			}
			requireLeastPrivilege(t, path, envs, func(name, value string) bool {
				if path == "serverless.yml" {
					return strings.Contains(value, ", ssm:/chatfollow/${sls:stage}/")
				}
				return strings.HasPrefix(value, "${env:"+name) // the deployer's environment
			})
		})
	}
}

func TestLeastPrivilegeSAM(t *testing.T) {
	raw := readFile(t, file("template.yaml"))
	tmpl, err := goformation.ParseYAMLWithOptions(raw, &intrinsics.ProcessorOptions{ParameterOverrides: samParameters()})
	require.NoError(t, err)
	g, err := tmpl.GetServerlessGlobalFunction()
	require.NoError(t, err)
	require.Nil(t, g.Environment, "no Globals environment")

	// Resolved, each variable is its parameter's value; a secret's parameter is NoEcho.
	byValue := map[string]string{}
	for name := range tmpl.Parameters {
		byValue["value-of-"+strings.ToLower(name[:1])+name[1:]] = name
	}
	envs := map[string]map[string]string{}
	for _, fn := range discovered(t) {
		r, ok := tmpl.GetAllServerlessFunctionResources()[camel(fn.Name)+"Function"]
		require.True(t, ok, fn.Name)
		require.NotNil(t, r.Environment, fn.Name)
		envs[fn.Name] = r.Environment.Variables
	}
	requireLeastPrivilege(t, "template.yaml", envs, func(name, value string) bool {
		p, ok := tmpl.Parameters[byValue[value]]
		return ok && p.NoEcho != nil && *p.NoEcho
	})
}
