from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from .links import self_assessment_url


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


class HeadingBlock(blocks.CharBlock):
    """A sub-heading that breaks a long guidance page into parts."""

    def __init__(self, **kwargs):
        super().__init__(max_length=120, **kwargs)

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")


class ProseBlock(blocks.RichTextBlock):
    """Paragraphs of guidance, with lists and links."""

    def __init__(self, **kwargs):
        super().__init__(features=["bold", "italic", "link", "document-link", "ul", "ol"], **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/prose_block.html"
        label = _("Text")


class FigureBlock(blocks.StructBlock):
    """An image served as responsive renditions, with an optional caption."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), max_length=200, required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Image")


class DocumentBlock(blocks.StructBlock):
    """A downloadable document (form, leaflet, slides) with a plain-words label."""

    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"), max_length=120, required=False, help_text=_("Defaults to its title")
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document")


class QuestionBlock(blocks.StructBlock):
    """One question a citizen asks, with its answer."""

    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        label = _("Question")


class FaqBlock(blocks.StructBlock):
    """Frequently asked questions, each one opening on its own (no script needed)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        label = _("Questions and answers")
        description = _("An accordion of questions and answers")
        preview_value = {
            "heading": "Câu hỏi thường gặp",
            "questions": [{"question": "Ai được tự đánh giá?", "answer": "<p>Mọi người dân.</p>"}],
        }


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.criterion.criteria_set.code} · {obj}"


class IndicatorChooserBlock(blocks.ChooserBlock):
    """One indicator of a criteria set, picked from a plain list of every set's indicators."""

    target_model = "assessments.Indicator"

    @cached_property
    def field(self):
        return IndicatorChoiceField(
            queryset=self.model_class.objects.select_related("criterion__criteria_set").order_by(
                "criterion__criteria_set__code", "-criterion__criteria_set__version", "code"
            ),
            widget=forms.Select(),
            required=self._required,
            validators=self._validators,
            help_text=self._help_text,
        )

    def get_form_state(self, value):
        # A plain select, not a chooser modal: the state is the chosen primary key.
        return blocks.FieldBlock.get_form_state(self, value)

    class Meta:
        icon = "list-ul"


class RelatedIndicatorsBlock(blocks.StructBlock):
    """The indicators of the criteria that this guidance explains."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)
    indicators = blocks.ListBlock(IndicatorChooserBlock(label=_("Indicator")), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/related_indicators_block.html"
        label = _("Related indicators")
        description = _("Indicators of the criteria set this guidance explains")


class SelfAssessBlock(blocks.StructBlock):
    """An invitation to self-assess, linking to the citizen's assessments (or to log in)."""

    title = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), max_length=300, required=False)
    link_label = blocks.CharBlock(label=_("Button"), max_length=60)

    class Meta:
        icon = "pick"
        template = "blocks/self_assess_block.html"
        label = _("Call to self-assess")
        description = _("A button to the self-assessment")
        preview_value = {
            "title": "Bạn đã sẵn sàng?",
            "text": "Tự đánh giá trên điện thoại, lưu nháp và làm dần.",
            "link_label": "Tự đánh giá",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["self_assessment_url"] = self_assessment_url()
        return context


class GuidanceStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = ProseBlock()
    image = FigureBlock()
    embed = EmbedBlock(label=_("Video or embed"), icon="media", template="blocks/embed_block.html")
    document = DocumentBlock()
    faq = FaqBlock()
    related_indicators = RelatedIndicatorsBlock()
    self_assess = SelfAssessBlock()


class NewsStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = ProseBlock()
    image = FigureBlock()
    document = DocumentBlock()


class QuizQuestionBlock(blocks.StructBlock):
    """A multiple-choice question checked on the server before a material counts as studied."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=200),
        label=_("Choices"),
        min_num=2,
        max_num=6,
    )
    correct_choice = blocks.IntegerBlock(
        label=_("Number of the right choice"),
        min_value=1,
        max_value=6,
        help_text=_("1 for the first choice, 2 for the second, and so on."),
    )
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        max_length=600,
        required=False,
        help_text=_("Shown after a wrong answer, to help without giving the answer away."),
    )

    class Meta:
        icon = "help"
        template = "home/training_quiz_block.html"
        label = _("Quiz question")
        description = _("A question with choices; the learner must answer it right")
        preview_value = {
            "question": "Dịch vụ công trực tuyến được truy cập ở đâu?",
            "choices": ["Cổng Dịch vụ công quốc gia", "Mạng xã hội"],
            "correct_choice": 1,
            "explanation": "Chỉ dùng cổng chính thức của Nhà nước.",
        }

    def clean(self, value):
        value = super().clean(value)
        if value["correct_choice"] > len(value["choices"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "correct_choice": ValidationError(
                        _("There are only %(count)s choices.") % {"count": len(value["choices"])}
                    )
                }
            )
        return value


class TrainingStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = ProseBlock()
    image = FigureBlock()
    embed = EmbedBlock(label=_("Video or embed"), icon="media", template="blocks/embed_block.html")
    document = DocumentBlock()
    quiz = QuizQuestionBlock()
