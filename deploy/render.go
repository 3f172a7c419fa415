package deploy

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"
)

// Variable is an environment variable of docs/product.md that the deployment files set. The others
// stay unset, so a function uses its documented default; add one here to set it.
type Variable struct {
	Env    string // CHAT_SECRET_KEY
	Param  string // its parameter: serverless.yml's stage parameter (secretKey); SAM's is Upper Camel
	Secret bool   // read from SSM Parameter Store / a NoEcho parameter, never written in a file
	// Optional variables may be left empty, which means the same as unset: the feature is off.
	Optional bool
	About    string
	// readBy tells the functions that read the variable: each function is given only those
	// (docs/product.md, least privilege), in its own environment, never a shared one.
	readBy func(Function) bool
}

// ReadBy reports whether fn reads the variable, and so is given it.
func (v Variable) ReadBy(fn Function) bool { return v.readBy(fn) }

// kinds reads by every function of the given kinds.
func kinds(ks ...Kind) func(Function) bool {
	return func(fn Function) bool { return slices.Contains(ks, fn.Kind) }
}

// named reads by the functions of the given names.
func named(names ...string) func(Function) bool {
	return func(fn Function) bool { return slices.Contains(names, fn.Name) }
}

// Variables lists the variables the deployed functions are given, each to the functions that
// read it: the server half (REST operations and the dispatcher) reads CHAT_*, the receivers
// RECEIVER_* (shared/receiver/function reads nothing else). The dispatcher signs and sends
// webhooks but mints no UserSig and has no administrators.
func Variables() []Variable {
	server, rest, receivers := kinds(REST, Schedule), kinds(REST), kinds(Receiver)
	return []Variable{
		{Env: "CHAT_SDKAPPID", Param: "sdkAppId", About: "the app's SDKAppID", readBy: server},
		{Env: "CHAT_ADMINS", Param: "admins", About: "comma-separated administrator UserIDs (at most 10)", readBy: rest},
		{Env: "CHAT_SECRET_KEY", Param: "secretKey", Secret: true, About: "the app's UserSig secret key", readBy: rest},
		{Env: "CHAT_DATABASE_URL", Param: "databaseUrl", Secret: true, About: "postgres:// URL of the app's database", readBy: kinds(REST, Schedule, Console)},
		{Env: "CHAT_CALLBACK_TOKEN", Param: "callbackToken", Secret: true, About: "token for the Sign of delivered webhooks", readBy: server},
		{Env: "RECEIVER_SDKAPPID", Param: "receiverSdkAppId", About: "the SDKAppID the receivers accept", readBy: receivers},
		{Env: "RECEIVER_TOKENS", Param: "receiverTokens", Secret: true, About: "comma-separated tokens the receivers accept", readBy: receivers},
		{Env: "RECEIVER_DATABASE_URL", Param: "receiverDatabaseUrl", Secret: true, About: "postgres:// URL of the receivers' database (event log and mirror); may be the app's", readBy: kinds(Receiver, Console)},
		{Env: "CHAT_CALLBACK_URL", Param: "callbackUrl", Optional: true, About: "where webhooks are delivered; empty disables them", readBy: server},
		{Env: "CHAT_CALLBACK_HMAC_SECRET", Param: "callbackHmacSecret", Secret: true, Optional: true, About: "Standard Webhooks secret (whsec_...) signing delivered bodies; empty: off", readBy: server},
		{Env: "RECEIVER_HMAC_SECRETS", Param: "receiverHmacSecrets", Secret: true, Optional: true, About: "comma-separated Standard Webhooks secrets; when set the receivers require the body signature", readBy: receivers},
		{Env: "RECEIVER_DENY_OWNERS", Param: "receiverDenyOwners", Optional: true, About: "comma-separated Owner_Accounts the before-create receiver refuses; empty: none",
			readBy: named("callback", "on-before-create-official-account")},
		{Env: "RECEIVER_DENY_SUBSCRIBERS", Param: "receiverDenySubscribers", Optional: true, About: "comma-separated accounts the before-add receiver refuses; empty: none",
			readBy: named("callback", "on-before-add-subscriber")},
		{Env: "CHAT_CONSOLE_TOKEN", Param: "consoleToken", Secret: true, About: "bearer token of the operator console; the console function refuses to start without it", readBy: kinds(Console)},
	}
}

// Environment lists the variables fn is given, in the order of Variables.
func Environment(fn Function) []Variable {
	var out []Variable
	for _, v := range Variables() {
		if v.ReadBy(fn) {
			out = append(out, v)
		}
	}
	return out
}

// SAMParam is the variable's parameter in template.yaml.
func (v Variable) SAMParam() string { return strings.ToUpper(v.Param[:1]) + v.Param[1:] }

// SSMName is where serverless.yml reads a secret from when its parameter is not given.
func (v Variable) SSMName() string { return kebab(v.SAMParam()) }

// File is a generated deployment file.
type File struct {
	Path     string // from the module root
	Section  string // the mapping that holds one entry per function
	template string
	sam      bool // entries are SAM resources, named <Name>Function in Upper Camel case
}

// Files lists the generated files.
func Files() []File {
	return []File{
		{Path: "serverless.yml", Section: "functions", template: "serverless.yml.tmpl"},
		{Path: "template.yaml", Section: "Resources", template: "template.yaml.tmpl", sam: true},
		{Path: "deploy/tencent/serverless.yml", Section: "functions", template: "tencent.yml.tmpl"},
	}
}

// Key is the name of fn's entry in the file.
func (f File) Key(fn Function) string {
	if f.sam {
		return camel(fn.Name) + "Function"
	}
	return fn.Name
}

//go:embed templates/*.tmpl
var templates embed.FS

var parsed = template.Must(template.New("").Funcs(template.FuncMap{
	"camel": camel,
	"env":   Environment,
}).ParseFS(templates, "templates/*.tmpl"))

// Render writes the file for fns.
func (f File) Render(fns []Function) ([]byte, error) {
	var b bytes.Buffer
	err := parsed.ExecuteTemplate(&b, f.template, struct {
		Functions []Function
		Variables []Variable
	}{fns, Variables()})
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", f.Path, err)
	}
	return b.Bytes(), nil
}

// Entry writes the file's entry for one function, as Render places it.
func (f File) Entry(fn Function) ([]byte, error) {
	var b bytes.Buffer
	if err := parsed.ExecuteTemplate(&b, strings.TrimSuffix(f.template, ".tmpl")+".function", fn); err != nil {
		return nil, fmt.Errorf("render %s entry of %s: %w", f.Path, fn.Name, err)
	}
	return b.Bytes(), nil
}

// camel writes a dashed name in Upper Camel case: follow-add -> FollowAdd.
func camel(s string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
