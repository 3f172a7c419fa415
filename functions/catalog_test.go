package functions_test

import (
	"bufio"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/functions"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// routes maps each function of the catalogue to its route.
func routes(t *testing.T) map[string]string {
	t.Helper()
	out := make(map[string]string)
	for _, f := range functions.Catalog() {
		_, dup := out[f.Name]
		require.False(t, dup, "the catalogue lists %s twice", f.Name)
		out[f.Name] = f.Route()
	}
	return out
}

// TestFoldersMatchCatalog: every folder below functions/ is a row of the catalogue and every row
// a folder with its main package in main/.
func TestFoldersMatchCatalog(t *testing.T) {
	rows := routes(t)
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	folders := make(map[string]bool)
	for _, e := range entries {
		if e.IsDir() {
			folders[e.Name()] = true
			_, ok := rows[e.Name()]
			assert.True(t, ok, "functions/%s is a folder but not a row of functions.Catalog", e.Name())
		}
	}
	for _, f := range functions.Catalog() {
		assert.True(t, folders[f.Name], "functions.Catalog lists %s, which is not a folder below functions/", f.Name)
		assert.FileExists(t, filepath.Join(f.Name, "main", "main.go"), "%s has no main/main.go", f.Name)
		assert.Equal(t, "functions/"+f.Name+"/main", f.Main())
	}
}

// TestRows: each row is named for what it serves, and the catalogue covers every callback
// command.
func TestRows(t *testing.T) {
	var commands []string
	for _, f := range functions.Catalog() {
		switch f.Kind {
		case functions.REST:
			assert.Equal(t, strings.ReplaceAll(f.Operation.Command, "_", "-"), f.Name, "a REST folder is named for its command")
			assert.Equal(t, "/v4/"+f.Operation.Service.Name()+"/"+f.Operation.Command, f.Route())
			assert.Positive(t, f.Operation.Rate, f.Name)
			assert.NotNil(t, f.Operation.Serve, f.Name)
		case functions.Receiver:
			if f.Command == "" {
				assert.Equal(t, "callback", f.Name)
				assert.Equal(t, "/callback", f.Route())
				continue
			}
			commands = append(commands, f.Command)
			assert.Equal(t, "/callback/"+f.Command, f.Route())
		case functions.Schedule:
			assert.NotNil(t, f.Tick, f.Name)
			assert.Empty(t, f.Route(), f.Name)
		case functions.Console:
			assert.Equal(t, "console", f.Name)
			assert.NotNil(t, f.Build, f.Name)
			assert.Equal(t, "/console", f.Route())
		default:
			t.Errorf("%s: unknown kind %q", f.Name, f.Kind)
		}
		assert.Equal(t, f.Kind == functions.REST || f.Kind == functions.Console, f.HTTP() != nil, "%s: HTTP is a REST or console row's", f.Name)
		assert.Equal(t, f.Kind == functions.Receiver, f.Setup(receiver.Handlers{}) != nil, "%s: Setup is a receiver row's", f.Name)
	}
	assert.ElementsMatch(t, protocol.CallbackCommands(), commands, "one on-* receiver per callback command")
	rows := routes(t)
	for name, want := range map[string]string{
		"follow-add":                        "/v4/follow/follow_add",
		"multiaccount-import":               "/v4/im_open_login_svc/multiaccount_import",
		"get-subscriber-info":               "/v4/official_account_open_http_svc/get_subscriber_info",
		"callback":                          "/callback",
		"on-after-follow-add":               "/callback/Follow.CallbackAfterFollowAdd",
		"on-before-create-official-account": "/callback/OfficialAccount.CallbackBeforeCreateOfficialAccount",
		"on-after-official-account-full":    "/callback/OfficialAccount.CallbackAfterOfficialAccountFull",
		"webhook-dispatch":                  "",
		"console":                           "/console",
	} {
		assert.Equal(t, want, rows[name], name)
	}
	assert.Len(t, functions.Operations(), 18)
}

// TestDeploymentFilesMatchCatalog: the three generated deployment files deploy exactly the
// functions of the catalogue, each at its route.
func TestDeploymentFilesMatchCatalog(t *testing.T) {
	want := routes(t)
	for _, tc := range []struct {
		path        string
		name, route *regexp.Regexp
	}{
		{"serverless.yml", regexp.MustCompile(`^      artifact: dist/([a-z0-9-]+)\.zip$`), regexp.MustCompile(`^          path: (\S+)$`)},
		{"template.yaml", regexp.MustCompile(`^      CodeUri: dist/([a-z0-9-]+)/$`), regexp.MustCompile(`^            Path: (\S+)$`)},
		{"deploy/tencent/serverless.yml", regexp.MustCompile(`^    handler: ([a-z0-9-]+)$`), regexp.MustCompile(`^            path: (\S+)$`)},
	} {
		t.Run(tc.path, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", filepath.FromSlash(tc.path)))
			require.NoError(t, err)
			defer f.Close()
			got := make(map[string]string)
			current := ""
			for sc := bufio.NewScanner(f); sc.Scan(); {
				if m := tc.name.FindStringSubmatch(sc.Text()); m != nil {
					current = m[1]
					got[current] = ""
				} else if m := tc.route.FindStringSubmatch(sc.Text()); m != nil && current != "" && got[current] == "" {
					got[current] = m[1] // the first route (the console's /console/{proxy+} follows /console)
				}
			}
			for _, name := range slices.Sorted(maps.Keys(want)) {
				r, ok := got[name]
				if assert.True(t, ok, "%s does not deploy %s, a row of functions.Catalog (run go generate ./deploy)", tc.path, name) {
					assert.Equal(t, want[name], r, "%s routes %s elsewhere than the catalogue", tc.path, name)
				}
			}
			for name := range got {
				_, ok := want[name]
				assert.True(t, ok, "%s deploys %s, which is not in functions.Catalog", tc.path, name)
			}
		})
	}
}
