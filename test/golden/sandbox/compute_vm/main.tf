resource "terraform_data" "web" {
  input = {
    disk_size_gb = 10
    disk_type    = "standard"
    image        = "debian-12"
    machine_type = "small"
    name         = "web"
    region       = "local"
    type         = "compute_vm"
    zone         = "local-a"
  }
}

resource "terraform_data" "worker" {
  input = {
    boot_seconds = 2
    disk_size_gb = 20
    disk_type    = "ssd"
    image        = "ubuntu-24.04"
    machine_type = "medium"
    name         = "worker"
    region       = "local"
    type         = "compute_vm"
    zone         = "local-a"
  }

  provisioner "local-exec" {
    command = "sleep 2"
  }
}
