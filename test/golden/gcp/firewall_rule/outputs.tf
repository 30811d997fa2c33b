output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    "allow-ssh"  = google_compute_firewall.allow-ssh.id
    "allow-ping" = google_compute_firewall.allow-ping.id
    "egress-all" = google_compute_firewall.egress-all.id
  }
}
