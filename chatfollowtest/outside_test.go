package chatfollowtest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutsideModule builds and runs testdata/outside, a module of its own that imports only
// client and chatfollowtest (through a replace directive), as an app would.
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a separate module")
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = "testdata/outside"
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 6, "%s", out)
	assert.Equal(t, []string{"follower bob", "follower ann"}, lines[:2], "newest follower first, one per page")
	for i, want := range []string{
		`Follow.CallbackAfterFollowAdd {"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"ann","FollowList":[{"To_Account":"star"}],"EventTime":`,
		`Follow.CallbackAfterFollowAdd {"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"bob","FollowList":[{"To_Account":"star"}],"EventTime":`,
	} {
		assert.True(t, strings.HasPrefix(lines[2+i], want), "line %d: %s", 2+i, lines[2+i])
	}
	// The account's deletion removes both follows of it: one webhook per follower, in either order.
	deletes := []string{lines[4], lines[5]}
	for _, fan := range []string{"ann", "bob"} {
		want := `Follow.CallbackAfterFollowDelete {"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"` + fan + `","To_Account":["star"],"EventTime":`
		assert.True(t, strings.HasPrefix(deletes[0], want) || strings.HasPrefix(deletes[1], want), "a delete for %s in %v", fan, deletes)
	}
}
