"""Demo pages of the public site (fixtures/demo/pages.json), called by `load_demo`.

Idempotent: pages are found by slug under their parent and republished with the fixture's
values; English pages are Wagtail translations of the Vietnamese ones.
"""

import datetime
import io
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Locale

from assessments.models import Indicator
from learning_units.models import Area, AreaLevel

from .models import CommunePage, GuidancePage, NewsIndexPage, NewsPage, ProvincePage
from .services import commune_editor_group, moderation_workflow_ensure

PAGES_FIXTURE = settings.BASE_DIR / "fixtures" / "demo" / "pages.json"
AREA_LEVELS = {ProvincePage: AreaLevel.PROVINCE, CommunePage: AreaLevel.COMMUNE}
INDICATOR_SET = "CONG-DAN-N1"  # the sample set whose indicators guidance links to
BLOCK_TEXT = {
    "vi": {
        "indicators": "Chỉ báo liên quan",
        "cta_title": "Sẵn sàng tự đánh giá?",
        "cta_text": "Tự chấm điểm trên điện thoại, bản nháp được lưu, có thể làm dần.",
        "cta_label": "Tự đánh giá ngay",
        "image_alt": "Hình minh họa: điện thoại thông minh với biểu tượng các dịch vụ số",
        "image_caption": "Học kỹ năng số ngay trên điện thoại của mình.",
        "document_label": "Tải danh sách minh chứng (tệp văn bản)",
    },
    "en": {
        "indicators": "Related indicators",
        "cta_title": "Ready to self-assess?",
        "cta_text": "Score yourself on your phone; drafts are saved so you can finish later.",
        "cta_label": "Self-assess now",
        "image_alt": "Illustration: a smartphone with icons of digital services",
        "image_caption": "Learn digital skills on your own phone.",
        "document_label": "Download the evidence checklist (text file)",
    },
}


def load_demo_pages(*, home_page):
    """A province, two communes, guidance on each competency and news, in both languages."""
    data = json.loads(PAGES_FIXTURE.read_text(encoding="utf-8"))
    english = Locale.objects.get(language_code="en")
    with transaction.atomic():
        if not Collection.get_first_root_node():  # a flushed database (browser tests)
            Collection.add_root(name="Root")
        loader = _Loader(english)
        national = data["national"]
        loader.content(home_page, national)
        province_data = data["province"]
        province = loader.area_page(home_page, ProvincePage, province_data)
        loader.content(province, province_data)
        for commune_data in data["communes"]:
            commune = loader.area_page(province, CommunePage, commune_data)
            loader.content(commune, commune_data)
            if commune_data.get("editor"):
                user = get_user_model().objects.get(username=commune_data["editor"])
                user.groups.add(commune_editor_group(commune))
        moderation_workflow_ensure(pages=[home_page, home_page.get_translation(english)])


class _Loader:
    def __init__(self, english):
        self.english = english
        self.indicators = {
            indicator.code: indicator
            for indicator in Indicator.objects.filter(
                criterion__criteria_set__code=INDICATOR_SET
            ).order_by("criterion__criteria_set__version")
        }
        self.image = demo_image()
        self.document = demo_document()

    def upsert(self, parent, model, slug, values, extra=None):
        """Publish `model` at `slug` under `parent` (vi) and its English translation."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **self.fields(model, values["vi"], "vi", extra))
            parent.add_child(instance=page)
        else:
            for name, value in self.fields(model, values["vi"], "vi", extra).items():
                setattr(page, name, value)
        page.save_revision().publish()
        translation = page.get_translation_or_none(self.english)
        if translation is None:
            translation = page.copy_for_translation(self.english)
        translation = translation.specific
        for name, value in self.fields(model, values["en"], "en", extra).items():
            setattr(translation, name, value)
        translation.save_revision().publish()
        return page

    def fields(self, model, values, language, extra):
        values = {**values, **{k: v for k, v in (extra or {}).items() if k != "blocks"}}
        if "body" in values and model is GuidancePage:
            values["body"] = self.guidance_body(values["body"], language, extra["blocks"])
        if "date" in values:
            values["date"] = datetime.date.fromisoformat(values["date"])
        return values

    def guidance_body(self, body, language, blocks):
        text = BLOCK_TEXT[language]
        body = list(body)
        if blocks.get("image"):
            figure = {
                "image": {
                    "image": self.image.pk,
                    "alt_text": text["image_alt"],
                    "decorative": False,
                },
                "caption": text["image_caption"],
            }
            body.insert(1, {"type": "image", "value": figure})
        if blocks.get("document"):
            document = {"document": self.document.pk, "label": text["document_label"]}
            body.append({"type": "document", "value": document})
        indicators = [self.indicators[code].pk for code in blocks["indicators"]]
        if indicators:
            related = {"heading": text["indicators"], "indicators": indicators}
            body.append({"type": "related_indicators", "value": related})
        cta = {
            "title": text["cta_title"],
            "text": text["cta_text"],
            "link_label": text["cta_label"],
        }
        body.append({"type": "self_assess", "value": cta})
        return body

    def area_page(self, parent, model, data):
        area = Area.objects.get(level=AREA_LEVELS[model], code=data["area"])
        return self.upsert(parent, model, data["slug"], data, {"area": area})

    def content(self, parent, data):
        for guidance in data["guidance"]:
            blocks = {
                "indicators": guidance["indicators"],
                "image": guidance.get("image", False),
                "document": guidance.get("document", False),
            }
            # Indicator.guidance_pages is part of a (frozen) criteria set's content, so the
            # link from indicator to page belongs in the criteria files, not here.
            self.upsert(parent, GuidancePage, guidance["slug"], guidance, {"blocks": blocks})
        if not data.get("news"):
            return
        index_data = data.get("news_index") or {
            "slug": "tin-tuc",
            "vi": {"title": "Tin tức", "intro": ""},
            "en": {"title": "News", "intro": ""},
        }
        news_index = self.upsert(parent, NewsIndexPage, index_data["slug"], index_data)
        for item in data["news"]:
            extra = {"kind": item["kind"], "date": item["date"]}
            self.upsert(news_index, NewsPage, item["slug"], item, extra)


def demo_image():
    """A drawn illustration (no third-party photo): a phone with app tiles."""
    title = "Minh họa kỹ năng số"
    image = Image.objects.filter(title=title).first()
    if image:
        return image
    canvas = PillowImage.new("RGB", (1600, 1000), "#e7f2ec")
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((900, -200, 1800, 700), fill="#cfe6d9")
    draw.rounded_rectangle((600, 120, 1000, 900), radius=48, fill="#0b5d3b")
    draw.rounded_rectangle((630, 190, 970, 820), radius=16, fill="#ffffff")
    colours = ["#c8102e", "#f5b400", "#12784f", "#2563a6", "#7a4fb3", "#0b5d3b"]
    for index, colour in enumerate(colours):
        x, y = 665 + (index % 3) * 100, 240 + (index // 3) * 110
        draw.rounded_rectangle((x, y, x + 80, y + 80), radius=18, fill=colour)
    for row in range(4):
        draw.rounded_rectangle(
            (665, 500 + row * 70, 935, 540 + row * 70), radius=10, fill="#dfe8e3"
        )
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    image = Image(title=title, file=ImageFile(buffer, name="ky-nang-so.jpg"))
    image.save()
    return image


def demo_document():
    title = "Danh sách minh chứng được chấp nhận"
    document = Document.objects.filter(title=title).first()
    if document:
        return document
    text = (
        "Danh sách minh chứng (bản mẫu)\n"
        "1.1 Ảnh chụp sổ tay ghi chép tin tức, hoặc xác nhận của chi hội.\n"
        "2.1 Chứng nhận hoàn thành khóa học kỹ năng số; ảnh chụp hồ sơ dịch vụ công đã nộp.\n"
    )
    document = Document(title=title)
    document.file.save("danh-sach-minh-chung.txt", ContentFile(text.encode()), save=False)
    document.save()
    return document
