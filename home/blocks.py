from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class SectionBlock(blocks.StructBlock):
    """A titled section of prose: what the movement is, why it matters."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "doc-full"
        template = "blocks/section_block.html"
        label = _("Section")
        description = _("A heading and a passage of text")
        preview_value = {
            "heading": "Công dân học tập là gì?",
            "text": "<p>Mỗi người dân tự học, học suốt đời.</p>",
        }


class StepBlock(blocks.StructBlock):
    """One step of taking part, shown as a numbered card."""

    title = blocks.CharBlock(label=_("Step"), max_length=80)
    text = blocks.TextBlock(label=_("Description"), max_length=400)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    """How to take part, as an ordered list of steps."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"
        label = _("Steps to take part")
        description = _("A numbered list of steps")
        preview_value = {
            "heading": "Cách tham gia",
            "steps": [{"title": "Đăng ký", "text": "Tạo tài khoản bằng số CCCD."}],
        }


class CompetencyCardBlock(blocks.StructBlock):
    """One competency of the criteria set, with its share of the 100 points."""

    title = blocks.CharBlock(label=_("Competency"), max_length=120)
    points = blocks.IntegerBlock(label=_("Points"), min_value=0, max_value=100, required=False)
    text = blocks.TextBlock(label=_("Description"), max_length=400)

    class Meta:
        icon = "pick"
        label = _("Competency")


class CompetenciesBlock(blocks.StructBlock):
    """The competencies a learning citizen is assessed on, as cards."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    cards = blocks.ListBlock(CompetencyCardBlock(), label=_("Competency"), min_num=1)

    class Meta:
        icon = "pick"
        template = "blocks/competencies_block.html"
        label = _("Competencies")
        description = _("Cards describing the groups of criteria")
        preview_value = {
            "heading": "Ba năng lực",
            "cards": [{"title": "Tự học", "points": 40, "text": "Tự học, học suốt đời."}],
        }


class CallToActionBlock(blocks.StructBlock):
    """A prominent invitation with one link (register, read the guidance)."""

    title = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), max_length=300, required=False)
    link_label = blocks.CharBlock(label=_("Link label"), max_length=60)
    link_page = blocks.PageChooserBlock(label=_("Linked page"), required=False)
    link_url = blocks.CharBlock(
        label=_("Or a URL"),
        max_length=300,
        required=False,
        help_text=_("Used when no page is chosen, e.g. /accounts/login/"),
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")
        description = _("A highlighted block with one link")
        preview_value = {
            "title": "Tham gia ngay",
            "text": "Đăng ký và tự đánh giá trên điện thoại.",
            "link_label": "Đăng ký",
            "link_url": "/",
        }


class HomeStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    competencies = CompetenciesBlock()
    steps = StepsBlock()
    call_to_action = CallToActionBlock()
