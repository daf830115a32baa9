"""StreamField blocks shared by the site's pages. Templates live in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        required=False, label=_("Who said it"), help_text=_("For example “Youth Forum member, 15”.")
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    text = blocks.TextBlock(required=False, label=_("Text"))
    link_page = blocks.PageChooserBlock(required=False, label=_("Link to a page"))
    link_url = blocks.URLBlock(required=False, label=_("…or to a web address"))
    link_text = blocks.CharBlock(label=_("Button text"), help_text=_("Say where it goes."))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("link_page") and not value.get("link_url"):
            raise blocks.StructBlockValidationError(
                block_errors={"link_page": [_("Choose a page or enter a web address.")]}
            )
        return value


class VideoEmbedBlock(blocks.StructBlock):
    """A video that only loads from YouTube or Vimeo after the visitor presses play."""

    video = EmbedBlock(label=_("YouTube or Vimeo address"))
    title = blocks.CharBlock(label=_("What the video is about"))
    transcript = blocks.RichTextBlock(
        required=False, features=["bold", "italic", "link"], label=_("Transcript")
    )

    class Meta:
        icon = "media"
        template = "blocks/video_embed_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="blocks/heading_block.html",
        label=_("Section heading"),
    )
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        template="blocks/paragraph_block.html",
        label=_("Text"),
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    quote = QuoteBlock(label=_("Quote"))
    call_to_action = CallToActionBlock(label=_("Call to action"))
    embed = VideoEmbedBlock(label=_("Video"))


class HelplineBlock(blocks.StructBlock):
    """One place to get help, shown in the footer of every page."""

    name = blocks.CharBlock(label=_("Name"), help_text=_("For example “Childline”."))
    contact = blocks.CharBlock(
        label=_("How to contact"), help_text=_("For example “0800 1111” or “text SHOUT to 85258”.")
    )
    telephone = blocks.CharBlock(
        required=False,
        label=_("Number to dial"),
        help_text=_("Digits only, used for a tap-to-call link on phones. Leave blank for texts."),
    )
    description = blocks.CharBlock(required=False, label=_("What they help with"))

    class Meta:
        icon = "help"
