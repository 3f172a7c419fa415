package storetest

import "os"

// postgresURL reads the test server's URL; tests are the one place that reads the environment
// directly, since they have no start-up to read it at.
func postgresURL() string { return os.Getenv(PostgresEnv) }
