"""Demo pages of the public site (fixtures/demo/pages.json), called by `load_demo`.

Idempotent: pages are found by slug under their parent and republished with the fixture's
values; English pages are Wagtail translations of the Vietnamese ones.
"""

import datetime
import io
import json
from decimal import Decimal

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


TRAINING_INDEX = {
    "slug": "tai-lieu-hoc-tap",
    "title": "Tài liệu học tập",
    "en": "Learning materials",
}
# The English copies of the materials (the quiz stays as written: Vietnamese).
TRAINING_ENGLISH = {
    "dung-dich-vu-cong-truc-tuyen": {
        "title": "Digital skills: using online public services",
        "summary": "Create an electronic identity account and file one application on the "
        "National Public Service Portal.",
        "text": "<p>A step-by-step lesson: install the VNeID app, log into the National Public "
        "Service Portal, look up and file an application, follow its result.</p>",
    },
    "lap-ke-hoach-hoc-tap": {
        "title": "Planning your own learning",
        "summary": "Write a one-year learning plan: what to learn, where, when, and who helps.",
        "text": "<p>A good learning plan answers four questions: <b>what to learn</b>, "
        "<b>where</b>, <b>when</b> and <b>who helps</b>. Write it in a notebook, look at it "
        "again every quarter and tick off what is done.</p>",
    },
    "cau-lac-bo-doc-sach": {
        "title": "The reading club at the commune's cultural house",
        "summary": "How to join and keep up the reading club of the villages of Gia Lộc.",
        "text": "<p>The club meets every Thursday evening at the commune's cultural house. Each "
        "time one member presents a book they read; the commune library lends books free.</p>",
    },
}
TRAINING_MATERIALS = {
    "national": [
        {
            "slug": "dung-dich-vu-cong-truc-tuyen",
            "title": "Kỹ năng số: dùng dịch vụ công trực tuyến",
            "summary": "Tạo tài khoản định danh điện tử và nộp một hồ sơ trên Cổng Dịch vụ công.",
            "hours": "2",
            "groups": [],
            "indicators": ["2.1"],
            "text": "<p>Bài học hướng dẫn từng bước: cài ứng dụng VNeID, đăng nhập Cổng Dịch vụ "
            "công quốc gia, tra cứu và nộp hồ sơ, theo dõi kết quả.</p>",
            "quiz": [],
        },
    ],
    "commune": [
        {
            "slug": "lap-ke-hoach-hoc-tap",
            "title": "Lập kế hoạch học tập của bản thân",
            "summary": "Viết kế hoạch học tập một năm: học gì, học ở đâu, khi nào, ai giúp.",
            "hours": "1.5",
            "groups": [1, 2],
            "indicators": ["1.2"],
            "text": "<p>Một kế hoạch học tập tốt trả lời bốn câu hỏi: <b>học gì</b>, "
            "<b>học ở đâu</b>, <b>khi nào</b> và <b>ai giúp mình</b>. Ghi vào sổ tay, mỗi quý "
            "xem lại một lần và đánh dấu việc đã làm.</p>",
            "quiz": [
                {
                    "question": "Kế hoạch học tập nên được xem lại bao lâu một lần?",
                    "choices": ["Mỗi quý một lần", "Chỉ khi được kiểm tra", "Không cần xem lại"],
                    "correct_choice": 1,
                    "explanation": "Đọc lại đoạn cuối của bài: kế hoạch cần được xem lại đều "
                    "đặn trong năm.",
                },
                {
                    "question": "Điều nào KHÔNG thuộc bốn câu hỏi của một kế hoạch học tập?",
                    "choices": ["Học gì", "Học ở đâu", "Học phí bao nhiêu", "Ai giúp mình"],
                    "correct_choice": 3,
                    "explanation": "Bốn câu hỏi là: học gì, ở đâu, khi nào, ai giúp.",
                },
            ],
        },
        {
            "slug": "cau-lac-bo-doc-sach",
            "title": "Sinh hoạt câu lạc bộ đọc sách ở nhà văn hóa xã",
            "summary": "Cách tham gia và duy trì câu lạc bộ đọc sách của thôn, xã Gia Lộc.",
            "hours": "1",
            "groups": [],
            "indicators": ["1.3"],
            "text": "<p>Câu lạc bộ họp tối thứ Năm hằng tuần ở nhà văn hóa xã. Mỗi buổi một "
            "người giới thiệu cuốn sách mình đọc; thư viện xã cho mượn sách miễn phí.</p>",
            "quiz": [],
        },
    ],
}


def load_demo_training(*, home_page):
    """A national training listing and Gia Lộc's, with a quiz, linked to citizens' indicators."""
    from .models import TrainingIndexPage, TrainingMaterialPage
    from .models.training import join_target_groups

    commune = CommunePage.objects.filter(locale=home_page.locale, area__code="10999").first()
    indexes = {"national": home_page, "commune": commune}
    with transaction.atomic():
        for level, parent in indexes.items():
            if parent is None:
                continue
            index = TrainingIndexPage.objects.child_of(parent).first()
            if index is None:
                index = TrainingIndexPage(
                    slug=TRAINING_INDEX["slug"], title=TRAINING_INDEX["title"]
                )
                parent.add_child(instance=index)
                index.save_revision().publish()
            publish_english(index, title=TRAINING_INDEX["en"])
            for data in TRAINING_MATERIALS[level]:
                values = {
                    "title": data["title"],
                    "summary": data["summary"],
                    "estimated_hours": Decimal(data["hours"]),
                    "target_groups": join_target_groups(data["groups"]),
                    "body": [{"type": "text", "value": data["text"]}]
                    + [{"type": "quiz", "value": question} for question in data["quiz"]],
                }
                page = (
                    TrainingMaterialPage.objects.child_of(index).filter(slug=data["slug"]).first()
                )
                if page is None:
                    page = TrainingMaterialPage(slug=data["slug"], **values)
                    index.add_child(instance=page)
                for name, value in values.items():
                    setattr(page, name, value)
                # The same indicator in each target group's citizen set, every version.
                page.indicators.set(
                    Indicator.objects.filter(
                        criterion__criteria_set__code__startswith="CONG-DAN-",
                        code__in=data["indicators"],
                    )
                )
                page.save_revision().publish()
                english = TRAINING_ENGLISH[data["slug"]]
                publish_english(
                    page,
                    title=english["title"],
                    summary=english["summary"],
                    body=[{"type": "text", "value": english["text"]}]
                    + [{"type": "quiz", "value": question} for question in data["quiz"]],
                )


def publish_english(page, **fields):
    """Publish `page`'s English copy (made by Wagtail's copy for translation when missing) with
    `fields` in English; skipped when the parent has no English copy to hold it."""
    english = Locale.objects.filter(language_code="en").first()
    if english is None or page.get_parent().get_translation_or_none(english) is None:
        return None
    translation = page.get_translation_or_none(english) or page.copy_for_translation(english)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
