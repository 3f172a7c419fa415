// Command generate writes serverless.yml, template.yaml and deploy/tencent/serverless.yml from
// the catalogue of functions (package functions). Run it from anywhere in the module: go generate ./deploy
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/chatfollow/chatfollow/deploy"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := deploy.Root()
	if err != nil {
		return err
	}
	fns := deploy.Functions()
	for _, f := range deploy.Files() {
		b, err := f.Render(fns)
		if err != nil {
			return err
		}
		path := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
