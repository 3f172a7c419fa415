// Package deploy writes the files that deploy the functions of the catalogue (package
// functions): serverless.yml (AWS Lambda with the Serverless Framework), template.yaml (AWS SAM)
// and deploy/tencent/serverless.yml (Tencent SCF with the Serverless Framework's Tencent
// provider), and builds their binaries.
//
// Each function's main package is functions/<name>/main; a REST operation answers
// POST /v4/<service>/<command>, a receiver POST /callback or /callback/<CallbackCommand>, the
// operator console any method at /console and below, and a scheduled function runs once a
// minute.
//
// The three files are generated from the catalogue (go generate ./deploy); a test keeps the
// checked-in files equal to what the generator writes.
//
// Internal to this module: not a supported API for other modules.
package deploy

//go:generate go run ./generate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chatfollow/chatfollow/functions"
)

// Module is the module path of the project.
const Module = "github.com/chatfollow/chatfollow"

// Kind is how a function is reached.
type Kind = functions.Kind

// The kinds of functions.
const (
	REST     = functions.REST
	Receiver = functions.Receiver
	Schedule = functions.Schedule
	Console  = functions.Console
)

// Function is one deployable function as the deployment files see it.
type Function struct {
	Name string // the folder under functions/, e.g. follow-add
	Main string // the main package's folder from the module root, e.g. functions/follow-add/main
	Kind Kind
	Path string // the route it answers with POST; empty for a Schedule
}

// Functions lists the functions of the catalogue in name order.
func Functions() []Function {
	cat := functions.Catalog()
	fns := make([]Function, len(cat))
	for i, f := range cat {
		fns[i] = Function{Name: f.Name, Main: f.Main(), Kind: f.Kind, Path: f.Route()}
	}
	slices.SortFunc(fns, func(a, b Function) int { return strings.Compare(a.Name, b.Name) })
	return fns
}

// kebab writes an UpperCamel word in lower case with dashes: AfterFollowAdd -> after-follow-add.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Root finds the module's root folder: the nearest folder up from the working directory whose
// go.mod declares Module.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if first, _, _ := strings.Cut(string(b), "\n"); strings.TrimSpace(first) == "module "+Module {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working directory", Module)
		}
		dir = parent
	}
}
