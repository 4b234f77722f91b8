"""The sample nginx site in deploy/ is valid as shipped: `nginx -t` accepts it, with TLS, HSTS,
OCSP stapling and the proxy snippet, once its paths point at a throw-away certificate."""
import datetime
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _self_signed(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "haveyoursay.example.gov.uk")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def test_the_sample_site_passes_nginx_t(tmp_path):
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: `make test` installs nginx-light as root")
        pytest.skip("nginx is not installed")
    _self_signed(tmp_path)
    site = (ROOT / "deploy" / "nginx" / "have-your-say.conf").read_text()
    assert "ssl_stapling on;" in site and "Strict-Transport-Security" in site
    for shipped, local in {"/etc/ssl/certs/haveyoursay.pem": tmp_path / "cert.pem",
                           "/etc/ssl/private/haveyoursay.key": tmp_path / "key.pem",
                           "/etc/ssl/certs/haveyoursay-chain.pem": tmp_path / "cert.pem",
                           "/etc/nginx/snippets/have-your-say-proxy.conf":
                               ROOT / "deploy" / "nginx" / "have-your-say-proxy.conf"}.items():
        assert shipped in site, shipped
        site = site.replace(shipped, str(local))
    # Unprivileged ports, so the check needs no root and clashes with nothing.
    site = site.replace("listen 443 ", "listen 127.0.0.1:18443 ").replace("listen [::]:443 ", "listen [::1]:18443 ")
    site = site.replace("listen 80;", "listen 127.0.0.1:18080;").replace("listen [::]:80;", "listen [::1]:18080;")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  include {tmp_path}/site.conf;\n}}\n")
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
