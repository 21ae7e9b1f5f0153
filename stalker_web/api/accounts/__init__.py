"""The API of accounts: who the token signs in as (``me``) and the studio's people."""
