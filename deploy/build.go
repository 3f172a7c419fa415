package deploy

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Target is a platform the functions are built for.
type Target struct {
	Arch   string // GOARCH: arm64 for AWS Lambda, amd64 for Tencent SCF
	SQLite bool   // keep the embedded SQLite store (off in dist: deployed functions share PostgreSQL)
}

// Tags are the build tags of a target: no RPC mode in aws-lambda-go (provided.al2023 has none),
// and no SQLite unless asked for.
func (t Target) Tags() string {
	if t.SQLite {
		return "lambda.norpc"
	}
	return "lambda.norpc,nosqlite"
}

// BuildBinary builds fn's main package for t into out: static (CGO_ENABLED=0), stripped, with no
// path, VCS stamp or build ID of the machine that built it, so the same sources give the same
// bytes anywhere.
func BuildBinary(ctx context.Context, root string, fn Function, t Target, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build",
		"-tags", t.Tags(), "-trimpath", "-buildvcs=false", "-ldflags", "-s -w -buildid=",
		"-o", out, "./"+fn.Main)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+t.Arch, "GOFLAGS=-mod=readonly")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s for linux/%s: %w\n%s", fn.Name, t.Arch, err, b)
	}
	return nil
}

// ZipEntry is one file of a zip package.
type ZipEntry struct {
	Name string // its name in the package
	Path string // where it is read from
	Mode os.FileMode
}

// zipTime is the modification time of every entry, so a package's bytes depend on its
// contents only.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes entries, in the given order, to a zip package at out.
func WriteZip(out string, entries []ZipEntry) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		b, err := os.ReadFile(e.Path)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(e.Mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// SCFBootstrap is the start script of a Tencent SCF Web Function, shipped beside each binary.
const SCFBootstrap = "deploy/tencent/scf_bootstrap"

// Dist builds every function into dir:
//
//	<dir>/<function>/bootstrap                 linux/<aws.Arch>, for AWS Lambda (template.yaml's CodeUri)
//	<dir>/<function>.zip                       that bootstrap alone (serverless.yml's artifact)
//	<dir>/tencent/<function>/bootstrap         linux/<tencent.Arch>, for Tencent SCF
//	<dir>/tencent/<function>/scf_bootstrap     the Web Function start script
//	<dir>/tencent/<function>.zip               both: an SCF event function (handler bootstrap) or Web Function
//	<dir>/tencent/chatfollow.zip               every Tencent binary under its function's name, the one
//	                                           package deploy/tencent/serverless.yml uploads
//
// progress, if not nil, is told each function as it is built.
func Dist(ctx context.Context, root, dir string, fns []Function, aws, tencent Target, progress func(string)) error {
	if err := clean(dir); err != nil {
		return err
	}
	script, err := os.ReadFile(filepath.Join(root, SCFBootstrap))
	if err != nil {
		return err
	}
	// Functions build side by side, one per CPU; the go command shares compiled packages.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			if progress != nil {
				progress(fn.Name)
			}
			if err := distFunction(ctx, root, dir, fn, aws, tencent, script); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	all := make([]ZipEntry, len(fns))
	for i, fn := range fns {
		all[i] = ZipEntry{fn.Name, filepath.Join(dir, "tencent", fn.Name, "bootstrap"), 0o755}
	}
	return WriteZip(filepath.Join(dir, "tencent", "chatfollow.zip"), all)
}

// distMarker marks a folder Dist made, which the next Dist may empty.
const distMarker = ".chatfollow-dist"

// clean makes dir an empty folder holding only the marker. It refuses a folder that is neither
// empty nor made by Dist, so a mistyped output folder cannot cost anyone their files.
func clean(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, distMarker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by dist: choose another output folder", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, distMarker), nil, 0o644)
}

// distFunction builds and packages one function for both clouds.
func distFunction(ctx context.Context, root, dir string, fn Function, aws, tencent Target, script []byte) error {
	awsBin := filepath.Join(dir, fn.Name, "bootstrap")
	if err := BuildBinary(ctx, root, fn, aws, awsBin); err != nil {
		return err
	}
	if err := WriteZip(filepath.Join(dir, fn.Name+".zip"), []ZipEntry{{"bootstrap", awsBin, 0o755}}); err != nil {
		return err
	}
	scfDir := filepath.Join(dir, "tencent", fn.Name)
	scfBin := filepath.Join(scfDir, "bootstrap")
	if err := BuildBinary(ctx, root, fn, tencent, scfBin); err != nil {
		return err
	}
	scfScript := filepath.Join(scfDir, "scf_bootstrap")
	if err := os.WriteFile(scfScript, script, 0o755); err != nil {
		return err
	}
	return WriteZip(filepath.Join(dir, "tencent", fn.Name+".zip"), []ZipEntry{
		{"bootstrap", scfBin, 0o755},
		{"scf_bootstrap", scfScript, 0o755},
	})
}

// String names the target as GOOS/GOARCH with its tags.
func (t Target) String() string {
	return "linux/" + t.Arch + " (" + strings.ReplaceAll(t.Tags(), ",", " ") + ")"
}
