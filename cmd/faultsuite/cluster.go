package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cluster is a throwaway PostgreSQL cluster in a temporary folder, so the suite may kill -9 it.
type cluster struct {
	dir  string
	port int
	log  string
}

// asPostgres runs a PostgreSQL tool; as root (which initdb refuses) it runs as user postgres.
func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err == nil {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	return exec.Command(name, args...)
}

func startCluster(root string) (*cluster, error) {
	dir := filepath.Join(root, "pg")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		exec.Command("chown", "-R", "postgres", root).Run()
		os.Chmod(root, 0o755)
	}
	if out, err := asPostgres("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	// PostgreSQL needs a port number, not a listener: take a free one and hope it stays free
	// for the moment until pg_ctl binds it (a start that fails is tried on another one).
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		c := &cluster{dir: dir, port: port, log: filepath.Join(dir, "log")}
		if lastErr = c.start(); lastErr == nil {
			return c, nil
		}
	}
	return nil, lastErr
}

func (c *cluster) start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", c.port, c.dir)
	out, err := asPostgres("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-l", c.log, "-o", opts, "-w", "-t", "30", "start").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	return nil
}

// kill9 kills the postmaster with SIGKILL, as a crash would.
func (c *cluster) kill9() error {
	b, err := os.ReadFile(filepath.Join(c.dir, "data", "postmaster.pid"))
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		return err
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

// restart starts the cluster again after a crash; the orphaned backends take a moment to go.
func (c *cluster) restart(ctx context.Context) error {
	var err error
	for ctx.Err() == nil {
		if err = c.start(); err == nil {
			return nil
		}
		time.Sleep(300 * time.Millisecond)
	}
	return err
}

func (c *cluster) stop() {
	asPostgres("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "stop").Run()
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// freePort asks the kernel for a port nobody listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
