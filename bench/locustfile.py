"""The practitioner mix `make loadtest` drives (bench/loadtest.py prepares the data it reads): 40%
searching for a person, 30% opening a record, 20% the work page, 10% a referral through the API.
Each simulated practitioner is a synthetic member of staff, signed in already (a session made for
them), with their own people to open and refer."""

import json
import os
import random

from locust import FastHttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"], encoding="utf-8").read())


class Practitioner(FastHttpUser):
    wait_time = between(0, 0.05)  # back to back, near enough: the rate is set by the number of users

    def on_start(self):
        self.me = random.choice(DATA["staff"])
        self.page_headers = {"Cookie": f"{DATA['session_cookie']}={self.me['session']}"}
        self.api_headers = {"Authorization": f"Token {self.me['token']}", "Content-Type": "application/json"}
        self.work()  # signing in lands a practitioner on their work page

    def _page(self, path, name, **kwargs):
        # A redirect (to the sign-in page) or a refusal is a failure, not a fast answer.
        with self.client.get(path, headers=self.page_headers, name=name, allow_redirects=False, catch_response=True,
                             **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(40)
    def search(self):
        self._page("/people/", "search", params={"q": random.choice(DATA["searches"])})

    @task(30)
    def record(self):
        self._page(f"/people/{random.choice(self.me['people'])}/", "record")

    @task(20)
    def work(self):
        self._page("/work/", "work page")

    @task(10)
    def referral(self):
        body = {"client": random.choice(DATA["referable"]), "source": "gp", "referrer_name": "Load test GP",
                "urgency": "soon", "needs_in_persons_words": "Synthetic load test referral"}
        with self.client.post("/api/v1/referrals/", data=json.dumps(body), headers=self.api_headers,
                              name="referral (API)", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class SignedInPage(FastHttpUser):
    """The ceiling to read the mix against: the same signed-in staff on a page that reads no data (the
    accessibility statement), so only the request stack, the session and the base layout are paid."""

    wait_time = between(0, 0.05)

    def on_start(self):
        self.page_headers = {"Cookie": f"{DATA['session_cookie']}={random.choice(DATA['staff'])['session']}"}

    @task
    def page(self):
        with self.client.get("/accessibility/", headers=self.page_headers, name="signed-in page", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200 or b"Sign out" not in response.content:
                response.failure(f"{response.status_code}: not a signed-in page")
