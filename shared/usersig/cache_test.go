package usersig

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"
)

// TestCacheServesVerifiedSig proves that a verified sig is answered from the cache: once the
// key is changed, the cached sig still passes while a new sig made with the old key fails.
func TestCacheServesVerifiedSig(t *testing.T) {
	v := NewVerifier(1400000000, "key")
	sig, err := tencentyun.GenUserSig(1400000000, "key", "administrator", 3600)
	require.NoError(t, err)
	require.NoError(t, v.Verify("administrator", sig, time.Now()))
	require.Len(t, v.cache, 1)
	v.key = []byte("another key")
	require.NoError(t, v.Verify("administrator", sig, time.Now()), "served from the cache")
	fresh, err := tencentyun.GenUserSigWithBuf(1400000000, "key", "administrator", 3600, []byte("x"))
	require.NoError(t, err)
	require.Error(t, v.Verify("administrator", fresh, time.Now()), "not in the cache: checked against the key")
	require.Error(t, v.Verify("administrator", sig, time.Now().Add(2*time.Hour)), "expired, cached or not")
}

// TestCacheBounded fills the cache to its bound: expired entries go first, and the cache never
// grows past the bound.
func TestCacheBounded(t *testing.T) {
	v := NewVerifier(1400000000, "key")
	now := time.Now()
	for i := 0; i < cacheSize; i++ {
		expires := now.Unix() + 3600
		if i%2 == 0 {
			expires = now.Unix() - 1
		}
		v.remember("sig"+strconv.Itoa(i), cached{identifier: "u", expires: expires}, now)
	}
	require.Len(t, v.cache, cacheSize)
	sig, err := tencentyun.GenUserSig(1400000000, "key", "administrator", 3600)
	require.NoError(t, err)
	require.NoError(t, v.Verify("administrator", sig, now))
	require.Len(t, v.cache, cacheSize/2+1, "expired entries evicted")
	require.Contains(t, v.cache, sig)
	for i := 0; i < cacheSize; i++ {
		v.remember("live"+strconv.Itoa(i), cached{identifier: "u", expires: now.Unix() + 3600}, now)
		require.LessOrEqual(t, len(v.cache), cacheSize)
	}
}
