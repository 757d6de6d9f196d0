"""A step of a published version as the page a visitor gets: semantic, accessible HTML with its
CSS and its one script inline, and the Content-Security-Policy that allows exactly those.

The HTML is made once, at publish time; what differs per request (the form token) is a
placeholder the serving code fills in, outside any script or style, so the hashes hold."""

from __future__ import annotations

from dataclasses import dataclass

from funnel_core.builder.models.aggregate import FunnelView, StepView
from funnel_core.pages.csp import source_hash
from funnel_core.pages.form_fields import published_form_fields
from funnel_core.pages.form_markup import FORM_TOKEN_PLACEHOLDER, HONEYPOT_FIELD, TOKEN_FIELD
from funnel_core.pages.render.context import STRIPE, FormState, Offer, PageUrls, Palette, RenderContext, StripeJs
from funnel_core.pages.render.css import BASE, background_rules, element_rules, palette_rules
from funnel_core.pages.render.custom_code import CodeAllowances, code_for
from funnel_core.pages.render.elements import element_dom_id, render_element
from funnel_core.pages.render.elements.commerce import call_to_action
from funnel_core.pages.render.elements.forms import form_field, submit_button
from funnel_core.pages.render.html import attrs, safe_url, tag, text, void
from funnel_core.pages.render.scripts import page_script

# Steps a search engine has no business listing: what comes after the opt-in or the order.
NOINDEX_STEP_TYPES = frozenset(
    {"thank_you_page", "upsell_page", "downsell_page", "order_form", "checkout_page", "membership_login_page"}
)
OPT_IN_STEP_TYPES = frozenset({"opt_in_page", "two_step_optin", "webinar_registration", "survey_page"})
SELLING_STEP_TYPES = frozenset({"order_form", "checkout_page"})
# Where a hosted checkout's order form sends the visitor (Stripe Checkout's pages).
HOSTED_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
UPSELL_STEP_TYPES = frozenset({"upsell_page", "downsell_page"})
FORM_ELEMENT_TYPES = frozenset(
    {"input_field", "textarea", "select_dropdown", "checkbox", "radio_buttons", "multi_step_form", "quiz_survey"}
)
# Elements that sit outside the page's main column: banners above it, popups and chat over it.
_OUTSIDE_MAIN = frozenset({"limited_offer_banner", "exit_intent_popup", "live_chat_widget", "background_video"})


@dataclass(frozen=True)
class RenderedPage:
    html: str
    content_security_policy: str


def content_security_policy(style: str, script: str, context: RenderContext, code: CodeAllowances) -> str:
    frames = " ".join(sorted(context.frame_origins | code.frame_origins)) or "'none'"
    scripts = " ".join(
        [source_hash(script), *sorted(code.scripts), *sorted(context.script_origins | code.script_origins)]
    )
    styles = " ".join([source_hash(style), *sorted(code.styles)])
    # A widget's script (a chat, custom code) talks to backends of its own; Stripe.js only to Stripe.
    external = (context.script_origins - context.known_script_origins) or code.script_origins
    connect = "'self' https: wss:" if external else " ".join(["'self'", *sorted(context.connect_origins)])
    forms = " ".join(["'self'", *sorted(context.form_origins)])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src https: data:",
            "media-src https:",
            "font-src https: data:",
            f"connect-src {connect}",
            f"frame-src {frames}",
            f"form-action {forms}",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "upgrade-insecure-requests",
        ]
    )


def _title(funnel: FunnelView, step: StepView) -> str:
    seo = step.properties.get("seo") or {}
    return (
        seo.get("metaTitle") or (funnel.properties.get("seo") or {}).get("metaTitle") or f"{step.name} | {funnel.name}"
    )


def _head(funnel: FunnelView, step: StepView, palette: Palette, style: str, custom: str) -> str:
    seo = {**(funnel.properties.get("seo") or {}), **{k: v for k, v in (step.properties.get("seo") or {}).items() if v}}
    title = _title(funnel, step)
    description = (
        seo.get("metaDescription") or step.properties.get("subheadline") or funnel.properties.get("description")
    )
    image = safe_url(seo.get("ogImage"))
    meta = [
        void("meta", charset="utf-8"),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        tag("title", text(title)),
        void("meta", name="description", content=description) if description else "",
        void("meta", name="robots", content="noindex" if step.stepType in NOINDEX_STEP_TYPES else "index, follow"),
        void("meta", name="theme-color", content=palette.primary),
        void("meta", property="og:type", content="website"),
        void("meta", property="og:title", content=title),
        void("meta", property="og:description", content=description) if description else "",
        void("meta", property="og:image", content=image) if image else "",
        void("meta", name="twitter:card", content="summary_large_image" if image else "summary"),
        tag("style", style),
        custom,
    ]
    return "<head>" + "".join(meta) + "</head>"


def _header(funnel: FunnelView) -> str:
    logo = safe_url((funnel.properties.get("branding") or {}).get("logoUrl"))
    mark = void("img", src=logo, alt=funnel.name, width=160, height=40) if logo else tag("strong", text(funnel.name))
    return tag("header", mark, cls="site")


def _footer(funnel: FunnelView, published_at: str) -> str:
    return tag("footer", tag("p", f"© {published_at[:4]} {text(funnel.name)}", cls="muted"), cls="site")


def _missing_fields(step: StepView, context: RenderContext) -> str:
    """The fields the form asks that no element of the page shows (the email always, and the
    step's ``formFields``): rendered before its button."""
    wanted = published_form_fields(step)
    return "".join(form_field(spec, context) for spec in wanted if spec["name"] not in context.form.rendered)


def _payment_fields(context: RenderContext, stripe: StripeJs, hosted: bool) -> str:
    """What an order form asks before its button: who orders, and a place for the card, which
    Stripe.js fills once the order is open (the page's checkout script). A hosted checkout
    asks only who orders: the form's post is sent on to Stripe's Checkout page."""
    fields = "".join(
        form_field(spec, context)
        for spec in (
            {"name": "email", "type": "email", "label": "Email", "required": True},
            {"name": "firstName", "type": "text", "label": "First name"},
        )
        if spec["name"] not in context.form.rendered
    )
    if hosted:
        # The post's answer is a redirect there, which form-action governs too.
        context.form_origins.add(HOSTED_CHECKOUT_ORIGIN)
        return fields
    context.use("checkout")
    context.script_origins.add(stripe.script_origin)
    context.known_script_origins.add(stripe.script_origin)
    context.connect_origins.add(stripe.api_origin)
    context.frame_origins.update(stripe.frame_origins)
    card = tag(
        "fieldset",
        tag("legend", "Card") + tag("div", "", data_card_element=True),
        cls="card-slot",
        data_card=True,
        hidden=True,
    )
    return fields + card + tag("p", "", cls="pay-error", role="alert", data_pay_error=True)


def _upsell_form(
    content: str, urls: PageUrls, properties: dict, has_button: bool, context: RenderContext, stripe: StripeJs
) -> str:
    """An upsell's "yes" (its buy buttons) and "no thanks", posting the order's ticket, which the
    page's script takes from the URL's fragment; Stripe.js only if the bank asks."""
    context.use("upsell")
    context.script_origins.add(stripe.script_origin)
    context.known_script_origins.add(stripe.script_origin)
    context.connect_origins.add(stripe.api_origin)
    context.frame_origins.update(stripe.frame_origins)
    yes = (
        ""
        if has_button
        else call_to_action(properties.get("ctaText") or "Yes, add it to my order", context, block=True)
    )
    no = tag("button", "No thanks", type="submit", name="accept", value="false", cls="btn-link")
    answers = yes + ("" if context.declines else tag("p", no, cls="a-center"))
    answers += tag("p", "", cls="pay-error", role="alert", data_pay_error=True)
    hidden = void("input", type="hidden", name="order", value="")
    attributes = attrs(method="post", action=urls.upsell, data_upsell=True, data_stripe_js=stripe.script_url)
    return f'<form{attributes}>{hidden}<div class="content">{content}{answers}</div></form>'


def _hidden_fields() -> str:
    honeypot = tag(
        "div",
        tag("label", "Leave this empty", for_=f"f-{HONEYPOT_FIELD}")
        + void("input", id=f"f-{HONEYPOT_FIELD}", name=HONEYPOT_FIELD, type="text", tabindex="-1", autocomplete="off"),
        cls="hp",
        aria_hidden="true",
    )
    return void("input", type="hidden", name=TOKEN_FIELD, value=FORM_TOKEN_PLACEHOLDER) + honeypot


def render_step(
    funnel: FunnelView,
    step: StepView,
    group_slug: str,
    *,
    form: FormState | None = None,
    lang: str = "en",
    stripe: StripeJs = STRIPE,
    place: StepView | None = None,
) -> RenderedPage:
    """The page of ``step`` of the published ``funnel``; with ``form``, the page a form post
    comes back to, its values kept and its errors beside their fields. With ``place``, the
    step's page at another step's URL and place in the flow (an A/B test's variant in its
    control's): its forms post there, its next step is that step's."""
    steps = funnel.steps
    at = place or step
    index = next(n for n, candidate in enumerate(steps) if candidate.stepId == at.stepId)
    base = f"/p/{group_slug}/{funnel.slug}"
    urls = PageUrls(
        base=base,
        step=f"{base}/{at.slug}",
        next_step=f"{base}/{steps[index + 1].slug}" if index + 1 < len(steps) else None,
    )
    properties = step.properties
    scheme = properties.get("colorScheme") or {}
    branding = funnel.properties.get("branding") or {}
    background = properties.get("background") or {}
    page_color = scheme.get("background") or (background.get("value") if background.get("type") == "color" else None)
    palette = Palette.of(
        scheme.get("primary") or branding.get("primaryColor"),
        scheme.get("secondary") or branding.get("secondaryColor"),
        scheme.get("text"),
        page_color,
    )
    sells = step.stepType in SELLING_STEP_TYPES
    hosted = sells and properties.get("checkout") == "hosted"
    upsell = step.stepType in UPSELL_STEP_TYPES and properties.get("productId") in funnel.products
    has_form = (
        sells or step.stepType in OPT_IN_STEP_TYPES or any(e.elementType in FORM_ELEMENT_TYPES for e in step.elements)
    )
    state = form or FormState()
    state.active = has_form
    context = RenderContext(
        urls=urls,
        palette=palette,
        sells=sells,
        upsell=upsell,
        form=state,
        offer=Offer(properties.get("price"), properties.get("currency"), properties.get("productId")),
    )

    rules = [palette_rules(palette, branding.get("fontFamily")), background_rules(background)]
    before: list[str] = []
    inside: list[str] = []
    after: list[str] = []
    first_button: int | None = None
    for element in step.elements:
        html = render_element(element, context)
        rules.append(
            element_rules(element_dom_id(element.elementId), element.styling, element.layout, palette.background)
        )
        if element.elementType == "limited_offer_banner" and element.settings.get("position", "top") == "top":
            before.append(html)
        elif element.elementType in _OUTSIDE_MAIN:
            after.append(html)
        else:
            if first_button is None and element.elementType in ("submit_button", "buy_button"):
                first_button = len(inside)
            inside.append(html)
    if not context.h1_taken:
        # One h1 per page: the step's own headline, or its name, when no element is one.
        inside.insert(0, tag("h1", text(properties.get("headline") or step.name), cls="a-center"))
        first_button = None if first_button is None else first_button + 1
    if has_form:
        extra = _payment_fields(context, stripe, hosted) if sells else _missing_fields(step, context)
        if first_button is None:
            label = properties.get("ctaText") or ("Complete my order" if sells else "Submit")
            extra += submit_button({"text": label, "fullWidth": True}, context)
            inside.append(extra)
        else:
            inside.insert(first_button, extra)
    content = "".join(inside)
    if has_form:
        context.use("form")
        alert = ""
        if state.errors:
            count = len(state.errors)
            alert = tag(
                "div",
                tag("p", f"Please correct the {count} field{'s' if count > 1 else ''} marked below."),
                cls="alert",
                role="alert",
                tabindex="-1",
                id="form-errors",
            )
        action = urls.checkout if sells else urls.submit
        checkout = {"data_checkout": True, "data_stripe_js": stripe.script_url} if sells and not hosted else {}
        form_attributes = attrs(method="post", action=action, data_form=True, **checkout)
        content = f'<form{form_attributes}>{alert}{_hidden_fields()}<div class="content">{content}</div></form>'
    elif upsell:
        content = _upsell_form(content, urls, properties, first_button is not None, context, stripe)
    else:
        content = f'<div class="content">{content}</div>'

    settings = properties.get("settings") or {}
    if settings.get("customCss"):
        rules.append(settings["customCss"])
    rules.extend(context.rules)
    style = BASE + "".join(rules)
    script = page_script(context.features)
    custom_head, custom_body, allowances = code_for(funnel.customCode, at.stepId)
    video_background = ""
    if background.get("type") == "video" and safe_url(background.get("value")):
        video_background = void(
            "video",
            cls="bg",
            src=safe_url(background["value"]),
            autoplay=True,
            muted=True,
            loop=True,
            playsinline=True,
            aria_hidden="true",
        )
    body = (
        '<a class="skip" href="#main">Skip to content</a>'
        + video_background
        + "".join(before)
        + (_header(funnel) if settings.get("showHeader", True) else "")
        + f'<main id="main">{content}</main>'
        + "".join(after)
        + (_footer(funnel, funnel.publishedAt or "") if settings.get("showFooter", True) else "")
        + f'<script type="module">{script}</script>'
        + custom_body
    )
    layout = properties.get("layout", "single_column")
    html = (
        f"<!doctype html><html{attrs(lang=lang)}>{_head(funnel, step, palette, style, custom_head)}"
        f"<body{attrs(cls=f'l-{layout}', data_view=urls.view)}>{body}</body></html>"
    )
    csp = content_security_policy(style, script, context, allowances)
    return RenderedPage(html=html, content_security_policy=csp)


__all__ = ["FORM_TOKEN_PLACEHOLDER", "HONEYPOT_FIELD", "TOKEN_FIELD", "RenderedPage", "render_step"]
