// Package deploy knows the deployable functions and writes the files that deploy them:
// serverless.yml (AWS Lambda with the Serverless Framework), template.yaml (AWS SAM) and
// deploy/tencent/serverless.yml (Tencent SCF with the Serverless Framework's Tencent provider).
//
// The list of functions is the folders under functions/, nothing else: every direct sub-folder
// is one function whose main package is that folder or its single sub-folder holding one, and
// what the function is follows from the one platform call its main makes:
//
//   - platform.ServeREST(<pkg>.Operation), where <pkg> is the folder's own package: a REST
//     operation at POST /v4/<service>/<command>; the folder is named for the command with
//     dashes for underscores (follow-add serves follow_add), and the local server mounts it.
//   - platform.ServeHTTP(...): a webhook receiver; the folder callback answers POST /callback
//     and the folder on-<command> (on-after-follow-add) POST /callback/<CallbackCommand>
//     (Follow.CallbackAfterFollowAdd).
//   - platform.ServeSchedule(...): a function run by a timer, once a minute.
//
// The three files are generated from that list (go generate ./deploy); a test keeps the
// checked-in files equal to what the generator writes.
package deploy

//go:generate go run ./generate

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
)

// Module is the module path of the project.
const Module = "github.com/chatfollow/chatfollow"

// Kind is how a function is reached.
type Kind string

// The kinds of functions.
const (
	REST     Kind = "rest"     // POST /v4/<service>/<command>
	Receiver Kind = "receiver" // POST /callback or /callback/<CallbackCommand>
	Schedule Kind = "schedule" // a timer, once a minute
)

// Function is one deployable function.
type Function struct {
	Name string // the folder under functions/, e.g. follow-add
	Main string // the main package's folder from the module root, e.g. functions/follow-add/main
	Kind Kind
	Path string // the route it answers with POST; empty for a Schedule
}

// Discover lists the functions under root/functions in name order and checks the layout rules.
func Discover(root string) ([]Function, error) {
	dir := filepath.Join(root, "functions")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	routes, err := restRoutes()
	if err != nil {
		return nil, err
	}
	var fns []Function
	for _, e := range entries {
		if !e.IsDir() {
			return nil, fmt.Errorf("functions/%s is not a folder: only functions live under functions/, shared code under shared/", e.Name())
		}
		fn, err := discover(root, e.Name(), routes)
		if err != nil {
			return nil, err
		}
		fns = append(fns, fn)
	}
	return fns, nil
}

func discover(root, name string, routes map[string]string) (Function, error) {
	mains, err := mainPackages(root, name)
	if err != nil {
		return Function{}, err
	}
	if len(mains) != 1 {
		return Function{}, fmt.Errorf("functions/%s: want one main package (the folder itself or one sub-folder such as main/), found %d: %v", name, len(mains), mains)
	}
	fn := Function{Name: name, Main: mains[0]}
	call, arg, err := platformCall(root, fn.Main)
	if err != nil {
		return Function{}, fmt.Errorf("%s: %w", fn.Main, err)
	}
	switch call {
	case "ServeREST":
		command := strings.ReplaceAll(name, "-", "_")
		if want := Module + "/functions/" + name; arg != want {
			return Function{}, fmt.Errorf("%s: platform.ServeREST must serve %s.Operation, the operation of its own folder", fn.Main, want)
		}
		path, ok := routes[command]
		if !ok {
			return Function{}, fmt.Errorf("functions/%s: localserver.Operations() has no operation with command %q: name the folder for its command (dashes for underscores) and mount it in the local server", name, command)
		}
		fn.Kind, fn.Path = REST, path
	case "ServeHTTP":
		path, ok := receiverRoute(name)
		if !ok {
			return Function{}, fmt.Errorf("functions/%s serves HTTP but is neither callback nor on-<command> for a command of protocol.CallbackCommands()", name)
		}
		fn.Kind, fn.Path = Receiver, path
	case "ServeSchedule":
		fn.Kind = Schedule
	}
	return fn, nil
}

// restRoutes maps each REST command to its route.
func restRoutes() (map[string]string, error) {
	routes := make(map[string]string)
	for _, op := range localserver.Operations() {
		o := op(rest.Deps{})
		if _, dup := routes[o.Command]; dup {
			return nil, fmt.Errorf("two REST operations have the command %q", o.Command)
		}
		routes[o.Command] = "/v4/" + o.Path()
	}
	return routes, nil
}

// receiverRoute is the route of a receiver folder: callback, or on-<command in kebab case>.
func receiverRoute(name string) (string, bool) {
	if name == "callback" {
		return "/callback", true
	}
	for _, c := range protocol.CallbackCommands() {
		_, after, _ := strings.Cut(c, ".Callback")
		if "on-"+kebab(after) == name {
			return "/callback/" + c, true
		}
	}
	return "", false
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

// mainPackages lists the folders of functions/<name> (itself and its direct sub-folders) that
// hold a main package, relative to root.
func mainPackages(root, name string) ([]string, error) {
	base := filepath.Join("functions", name)
	dirs := []string{base}
	entries, err := os.ReadDir(filepath.Join(root, base))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" {
			dirs = append(dirs, filepath.Join(base, e.Name()))
		}
	}
	var mains []string
	for _, d := range dirs {
		pkg, err := packageName(filepath.Join(root, d))
		if err != nil {
			return nil, err
		}
		if pkg == "main" {
			mains = append(mains, filepath.ToSlash(d))
		}
	}
	return mains, nil
}

// goFiles lists the non-test Go files of dir.
func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files, nil
}

// packageName is the package of the Go files in dir, or "" when there are none.
func packageName(dir string) (string, error) {
	files, err := goFiles(dir)
	if err != nil || len(files) == 0 {
		return "", err
	}
	f, err := parser.ParseFile(token.NewFileSet(), files[0], nil, parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	return f.Name.Name, nil
}

// platformCall finds the one platform.Serve* call of the main package in root/dir. For ServeREST
// it also returns the import path of the package whose Operation it serves.
func platformCall(root, dir string) (call, arg string, err error) {
	files, err := goFiles(filepath.Join(root, dir))
	if err != nil {
		return "", "", err
	}
	var calls []string
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return "", "", err
		}
		imports, err := importNames(root, f)
		if err != nil {
			return "", "", err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name, ok := selector(ce.Fun, imports, Module+"/shared/platform")
			if !ok || !slices.Contains([]string{"ServeREST", "ServeHTTP", "ServeSchedule"}, name) {
				return true
			}
			calls = append(calls, name)
			call = name
			if name == "ServeREST" && len(ce.Args) == 1 {
				if sel, ok := ce.Args[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "Operation" {
					if id, ok := sel.X.(*ast.Ident); ok {
						arg = imports[id.Name]
					}
				}
			}
			return true
		})
	}
	if len(calls) != 1 {
		return "", "", fmt.Errorf("want one call of platform.ServeREST, ServeHTTP or ServeSchedule, found %v", calls)
	}
	return call, arg, nil
}

// importNames maps the names a file refers to its imports by to their paths. An import of this
// module without a name goes by its package clause; any other by its last path element.
func importNames(root string, f *ast.File) (map[string]string, error) {
	names := make(map[string]string)
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, err
		}
		name := path[strings.LastIndexByte(path, '/')+1:]
		if rel, ok := strings.CutPrefix(path, Module+"/"); ok && imp.Name == nil {
			if pkg, err := packageName(filepath.Join(root, rel)); err == nil && pkg != "" {
				name = pkg
			}
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	return names, nil
}

// selector returns Sel of an expression pkg.Sel where pkg is the import of path.
func selector(e ast.Expr, imports map[string]string, path string) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || imports[id.Name] != path {
		return "", false
	}
	return sel.Sel.Name, true
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
