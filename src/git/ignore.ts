/**
 * What a project workspace must never commit. State and plan files hold secrets and resource
 * attributes in clear text, `.terraform/` is downloaded providers, var files hold credentials.
 * `.terraform.lock.hcl` is deliberately absent: HashiCorp recommends committing it so every
 * run uses the same provider builds.
 */
export const GITIGNORE = `# Written by Cloud Engine. State lives in the database, never in git.
.terraform/
*.tfstate
*.tfstate.*
*.tfplan
*.plan
tfplan*
crash.log
crash.*.log
*.tfvars
*.tfvars.json
*.auto.tfvars
*.auto.tfvars.json
override.tf
override.tf.json
*_override.tf
*_override.tf.json
.terraformrc
terraform.rc
.env
.env.*
*.pem
*.key
secrets*
`;
