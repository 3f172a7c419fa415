// Package storetest gives tests fresh databases: an SQLite file always, and a PostgreSQL schema
// of its own when CHAT_TEST_POSTGRES_URL is set (dropped when the test ends). A test that asks
// for PostgreSQL fails, rather than skips, when the variable is set and the server cannot be
// reached, so CI cannot pass without it.
//
// Internal to this module: not a supported API for other modules.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable holding the PostgreSQL server for tests.
const PostgresEnv = "CHAT_TEST_POSTGRES_URL"

// Backend is a database a test can run against.
type Backend struct {
	Name string                  // "sqlite" or "postgres"
	URL  func(testing.TB) string // a fresh, empty database URL for one test
}

// Backends lists SQLite and, when CHAT_TEST_POSTGRES_URL is set, PostgreSQL.
func Backends() []Backend {
	b := []Backend{{Name: "sqlite", URL: SQLite}}
	if postgresURL() != "" {
		b = append(b, Backend{Name: "postgres", URL: Postgres})
	}
	return b
}

// SQLite returns the URL of a new SQLite file in the test's temporary folder.
func SQLite(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "chat.db")
}

// Postgres returns the URL of a new, empty schema on the test server; it skips the test when
// CHAT_TEST_POSTGRES_URL is unset and fails it when the server does not answer.
func Postgres(t testing.TB) string {
	t.Helper()
	base := postgresURL()
	if base == "" {
		t.Skip(PostgresEnv + " is not set: PostgreSQL tests skipped (set it to postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run them)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL does not answer: %v", PostgresEnv, err)
	}
	defer conn.Close(context.Background())
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
