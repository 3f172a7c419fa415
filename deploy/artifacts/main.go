// Command artifacts builds every function under functions/ for AWS Lambda and Tencent SCF into
// dist/ (see deploy.Dist for the layout), reproducibly and with no network beyond the module
// download: make dist, or
//
//	go run ./deploy/artifacts [-o dist] [-aws-arch arm64] [-scf-arch amd64] [-sqlite] [function...]
//
// With function names it builds only those.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"

	"github.com/chatfollow/chatfollow/deploy"
)

func main() {
	out := flag.String("o", "dist", "output folder (relative ones are from the module root); emptied first if an earlier run made it")
	awsArch := flag.String("aws-arch", "arm64", "GOARCH of the AWS Lambda build (arm64 or amd64)")
	scfArch := flag.String("scf-arch", "amd64", "GOARCH of the Tencent SCF build")
	sqlite := flag.Bool("sqlite", false, "keep the embedded SQLite store in the binaries (about 5 MB each)")
	flag.Parse()
	if err := run(*out, deploy.Target{Arch: *awsArch, SQLite: *sqlite}, deploy.Target{Arch: *scfArch, SQLite: *sqlite}, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

func run(out string, aws, scf deploy.Target, only []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := deploy.Root()
	if err != nil {
		return err
	}
	fns := deploy.Functions()
	if len(only) > 0 {
		var picked []deploy.Function
		for _, name := range only {
			i := slices.IndexFunc(fns, func(fn deploy.Function) bool { return fn.Name == name })
			if i < 0 {
				return fmt.Errorf("no function %q under functions/", name)
			}
			picked = append(picked, fns[i])
		}
		fns = picked
	}
	dir := out
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	fmt.Fprintf(os.Stderr, "building %d functions for AWS Lambda %s and Tencent SCF %s into %s\n", len(fns), aws, scf, dir)
	return deploy.Dist(ctx, root, dir, fns, aws, scf, func(name string) { fmt.Fprintln(os.Stderr, "  "+name) })
}
