package deploy

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/chatfollow/chatfollow"

// listed is what `go list -json` says of one package of the module.
type listed struct {
	ImportPath                string
	Deps, Imports             []string
	TestImports, XTestImports []string
}

// moduleList is what go list says of every package of the module, asked once per test run.
var moduleList = sync.OnceValues(func() ([]byte, error) {
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root
	return cmd.Output()
})

// listModule runs go list over the whole module, from its root.
func listModule(t *testing.T) map[string]listed {
	t.Helper()
	out, err := moduleList()
	require.NoError(t, err)
	pkgs := map[string]listed{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs[p.ImportPath] = p
	}
	require.Contains(t, pkgs, module+"/shared/receiver", "go list saw the module")
	return pkgs
}

// isHelper tells test helpers (servertest, storetest, officialtest, webhooktest, ...) by name.
func isHelper(path string) bool {
	last := path[strings.LastIndex(path, "/")+1:]
	return strings.HasPrefix(path, module+"/") && strings.HasSuffix(last, "test")
}

// TestNoProgramImportsATestHelper: test helpers are for tests only; no package the module builds
// into a program or library reaches one, directly or through another package.
func TestNoProgramImportsATestHelper(t *testing.T) {
	t.Parallel()
	pkgs := listModule(t)
	helpers := 0
	for path, p := range pkgs {
		if isHelper(path) {
			helpers++
			continue
		}
		for _, dep := range p.Deps {
			require.False(t, isHelper(dep), "%s depends on the test helper %s", path, dep)
		}
	}
	require.GreaterOrEqual(t, helpers, 4, "servertest, officialtest, storetest and webhooktest are helpers")
}

// TestSharedImportsNoFunctionOrServer: shared/ is what the functions share, so neither its
// packages nor their tests import functions/ or the local server, directly or through another
// package (a test helper included).
func TestSharedImportsNoFunctionOrServer(t *testing.T) {
	t.Parallel()
	pkgs := listModule(t)
	forbidden := func(path string) bool {
		return strings.HasPrefix(path, module+"/functions/") || path == module+"/localserver" ||
			strings.HasPrefix(path, module+"/localserver/")
	}
	checked := 0
	for path, p := range pkgs {
		if !strings.HasPrefix(path, module+"/shared/") {
			continue
		}
		checked++
		imports := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		for _, imp := range imports {
			require.False(t, forbidden(imp), "%s (or its tests) imports %s", path, imp)
			for _, dep := range pkgs[imp].Deps {
				require.False(t, forbidden(dep), "%s (or its tests) reaches %s through %s", path, dep, imp)
			}
		}
	}
	require.GreaterOrEqual(t, checked, 20, "every package under shared/ was checked")
}
