# Builds and checks the deployment artifacts; see README.md, Deployment.

# Every function for AWS Lambda (linux/arm64) and Tencent SCF (linux/amd64) into dist/.
.PHONY: dist
dist:
	go run ./deploy/artifacts

# serverless.yml, template.yaml and deploy/tencent/serverless.yml from the folders under functions/.
.PHONY: deploy-files
deploy-files:
	go generate ./deploy

# serverless.yml through a pinned osls (npm), offline.
.PHONY: check-serverless
check-serverless:
	./scripts/check-serverless
