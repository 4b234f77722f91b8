"""Time the cryptography the second factor adds to a sign-in: `python bench/second_factor_crypto.py [n]`.

Prints the mean time to decrypt a TOTP secret (Fernet, secret_box.py) and to verify one security
key answer (py_webauthn, P-256), over n runs (default 2000), in an app context with the test
settings. No database.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402


def main(count: int):
    app = create_app(TestConfig)
    with app.app_context():
        import json

        import pyotp
        from webauthn import verify_authentication_response, verify_registration_response
        from webauthn.helpers import bytes_to_base64url

        from app.accounts import secret_box
        from tests.accounts.soft_authenticator import SoftAuthenticator

        token = secret_box.encrypt(pyotp.random_base32())
        start = time.perf_counter()
        for _ in range(count):
            secret_box.decrypt(token)
        decrypt = (time.perf_counter() - start) / count

        key = SoftAuthenticator()
        challenge = os.urandom(32)
        options = {"challenge": bytes_to_base64url(challenge)}
        registered = verify_registration_response(credential=key.register(options), expected_challenge=challenge,
                                                  expected_rp_id=key.rp_id, expected_origin=key.origin)
        answers = [key.sign_in(options) for _ in range(count)]
        start = time.perf_counter()
        for n, answer in enumerate(answers):
            verify_authentication_response(credential=json.loads(answer), expected_challenge=challenge,
                                           expected_rp_id=key.rp_id, expected_origin=key.origin,
                                           credential_public_key=registered.credential_public_key,
                                           credential_current_sign_count=n)
        verify = (time.perf_counter() - start) / count
    print(f"runs: {count}")
    print(f"TOTP secret decrypt (Fernet):       {decrypt * 1e6:8.1f} µs")
    print(f"security key answer verify (P-256): {verify * 1e6:8.1f} µs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
