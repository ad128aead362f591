"""What a hands-on review of the administrator's pages found: the mail queue listed, the CSV columns on the
organisation page itself, the settings' fields styled."""
from __future__ import annotations

from helpers import login

from app.extensions import db
from app.models import utcnow
from app.workflow.mail.outbox import queue_mail


def test_the_mail_page_lists_what_waits(client, org):
    queue_mail("invitation", ["vastaanottaja@t.example"], "Odottava testiviesti", user=org["handler"],
               link_url="https://sora.test/x", expires_at=utcnow())
    db.session.commit()
    login(client, org["admin"].email)
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "Jonossa odottavat viestit" in page and "Odottava testiviesti" in page and "vastaanottaja@t.example" in page


def test_the_organisation_page_describes_the_csv_itself(client, org):
    login(client, org["admin"].email)
    page = client.get("/admin/org").get_data(as_text=True)
    assert "README" not in page and "Tiedoston sarakkeet" in page and "handling_node" in page
