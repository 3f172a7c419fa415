package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestGroupCommitUnderCancellation runs many writers, some of whose contexts end while they
// wait or run: every Update returns, and exactly the ones that returned nil are committed.
func TestGroupCommitUnderCancellation(t *testing.T) {
	t.Parallel()
	st, err := sqlstore.Open(context.Background(), storetest.SQLite(t))
	require.NoError(t, err)
	defer st.Close()
	const writers, each = 16, 60
	var wg sync.WaitGroup
	committed := make([][]bool, writers)
	for w := range writers {
		committed[w] = make([]bool, each)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range each {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(400))*time.Microsecond)
				err := st.Update(ctx, func(tx store.Tx) error {
					return tx.PutAccount(ctx, store.Account{UserID: fmt.Sprintf("w%d-%d", w, i), CreatedAt: time.Unix(1, 0)})
				})
				cancel()
				if err != nil {
					assert.True(t, errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled), "unexpected error: %v", err)
				}
				committed[w][i] = err == nil
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("writers did not all return: group commit is stuck")
	}
	var ids []string
	for w := range writers {
		for i := range each {
			ids = append(ids, fmt.Sprintf("w%d-%d", w, i))
		}
	}
	var got map[string]store.Account
	require.NoError(t, st.View(context.Background(), func(tx store.Tx) (err error) { got, err = tx.Accounts(context.Background(), ids); return err }))
	n := 0
	for w := range writers {
		for i := range each {
			_, ok := got[fmt.Sprintf("w%d-%d", w, i)]
			assert.Equal(t, committed[w][i], ok, "writer %d item %d: Update's answer matches the database", w, i)
			if ok {
				n++
			}
		}
	}
	t.Logf("%d of %d writes committed", n, writers*each)
}
