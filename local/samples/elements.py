"""A realistic, valid ``settings`` object for every page element type: the element type tests
check every model against them, and the big funnel of the tests and the bench is made of them."""

from __future__ import annotations

from typing import Any

ELEMENT_EXAMPLES: dict[str, dict[str, Any]] = {
    "headline": {
        "text": "Double Your Leads in 30 Days Without Spending More on Ads",
        "level": 1,
        "alignment": "center",
    },
    "subheadline": {"text": "The exact 5-step funnel 2,400+ coaches use to fill their calendars on autopilot"},
    "paragraph": {
        "text": "Most funnels leak at the very first step. In this free training you will see where visitors drop "
        "off, and the three changes that fixed it for our clients.",
        "alignment": "left",
    },
    "bullet_list": {
        "items": [
            "The 3-question headline formula that lifts opt-ins by 40%",
            "Why your thank-you page is your best sales page",
            "A follow-up email sequence you can copy today",
        ],
        "icon": "check",
        "iconColor": "#22C55E",
    },
    "testimonial_text": {
        "quote": "We went from 12 to 85 booked calls a month within six weeks of launching this funnel.",
        "author": "Maria Lopez",
        "authorTitle": "Founder, Bright Path Coaching",
    },
    "image": {
        "src": "https://cdn.example.com/funnels/ebook-cover.png",
        "alt": "Cover of the free e-book 'The Funnel Playbook'",
        "width": 600,
        "height": 800,
    },
    "video": {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "provider": "youtube",
        "autoplay": True,
        "muted": True,
        "controls": True,
    },
    "audio_player": {
        "url": "https://cdn.example.com/podcast/episode-42.mp3",
        "title": "Episode 42: Pricing your offer",
    },
    "image_gallery": {
        "images": [
            {"src": "https://cdn.example.com/gallery/before.jpg", "alt": "Dashboard before the redesign"},
            {
                "src": "https://cdn.example.com/gallery/after.jpg",
                "alt": "Dashboard after the redesign",
                "caption": "Conversion rate up from 2.1% to 6.8%",
            },
        ],
        "layout": "carousel",
        "columns": 2,
    },
    "background_video": {
        "url": "https://cdn.example.com/video/hero-loop.mp4",
        "posterUrl": "https://cdn.example.com/video/hero-poster.jpg",
        "overlayColor": "#000000",
        "overlayOpacity": 0.45,
    },
    "input_field": {
        "name": "firstName",
        "inputType": "text",
        "label": "First name",
        "placeholder": "Jane",
        "required": True,
    },
    "textarea": {
        "name": "biggest_challenge",
        "label": "What is your biggest marketing challenge right now?",
        "rows": 5,
        "maxLength": 1000,
    },
    "select_dropdown": {
        "name": "companySize",
        "label": "Company size",
        "options": [
            {"label": "Just me", "value": "1"},
            {"label": "2-10 people", "value": "2-10"},
            {"label": "11-50 people", "value": "11-50"},
            {"label": "More than 50", "value": "50+"},
        ],
        "required": True,
        "placeholder": "Choose one",
    },
    "checkbox": {
        "name": "marketingConsent",
        "label": "Yes, send me the weekly funnel teardown email. I can unsubscribe at any time.",
        "required": True,
    },
    "radio_buttons": {
        "name": "experience",
        "label": "How long have you been selling online?",
        "options": [
            {"label": "Just getting started", "value": "beginner"},
            {"label": "1-3 years", "value": "intermediate"},
            {"label": "More than 3 years", "value": "advanced"},
        ],
        "defaultValue": "beginner",
        "layout": "vertical",
    },
    "submit_button": {"text": "Send Me the Free Guide", "action": "submit", "fullWidth": True},
    "multi_step_form": {
        "steps": [
            {
                "title": "Where should we send it?",
                "fields": [
                    {"name": "email", "type": "email", "required": True, "label": "Email"},
                    {"name": "firstName", "type": "text", "label": "First name"},
                ],
            },
            {
                "title": "Tell us about your business",
                "fields": [
                    {
                        "name": "revenue",
                        "type": "select",
                        "label": "Monthly revenue",
                        "options": [
                            {"label": "Under $10k", "value": "lt10k"},
                            {"label": "$10k-$50k", "value": "10k-50k"},
                            {"label": "Over $50k", "value": "gt50k"},
                        ],
                    },
                ],
            },
        ],
        "submitText": "Get My Custom Plan",
    },
    "pricing_table": {
        "columns": [
            {
                "name": "Starter",
                "price": "27.00",
                "currency": "USD",
                "billingPeriod": "month",
                "features": [
                    {"text": "3 funnels", "included": True},
                    {"text": "A/B testing", "included": False},
                ],
                "buttonText": "Start Free Trial",
            },
            {
                "name": "Pro",
                "price": 97,
                "currency": "USD",
                "billingPeriod": "month",
                "features": [{"text": "Unlimited funnels"}, {"text": "A/B testing"}],
                "buttonText": "Go Pro",
                "highlighted": True,
            },
            {
                "name": "Lifetime",
                "price": "997.00",
                "currency": "USD",
                "billingPeriod": "one_time",
                "features": [{"text": "Everything in Pro, forever"}],
                "buttonText": "Buy Once",
            },
        ]
    },
    "buy_button": {"text": "Yes! Add to My Order", "subtext": "One-time payment"},
    "product_card": {
        "name": "The Funnel Playbook (Hardcover)",
        "description": "212 pages of tested funnel blueprints, shipped to your door.",
        "imageUrl": "https://cdn.example.com/products/playbook.jpg",
        "price": "7.95",
        "compareAtPrice": "29.95",
        "currency": "USD",
        "buttonText": "Get My Copy",
    },
    "cart_summary": {"title": "Your order", "showTax": True, "showShipping": True},
    "order_bump_checkbox": {
        "headline": "Yes! Add the audiobook version for just $9",
        "description": "Listen on your commute: all 12 chapters narrated by the author.",
        "price": "9.00",
        "currency": "USD",
    },
    "coupon_code_input": {"placeholder": "Have a coupon?", "buttonText": "Apply", "successMessage": "Coupon applied!"},
    "testimonial_card": {
        "quote": "The templates alone saved me two weeks of work.",
        "authorName": "James Carter",
        "authorTitle": "E-commerce store owner",
        "avatarUrl": "https://cdn.example.com/avatars/james.jpg",
        "rating": 5,
    },
    "review_stars": {"rating": 4.8, "reviewCount": 1274, "starColor": "#F5A623"},
    "trust_badges": {
        "badges": [
            {"src": "https://cdn.example.com/badges/ssl-secure.svg", "alt": "256-bit SSL secure checkout"},
            {"src": "https://cdn.example.com/badges/30-day-guarantee.svg", "alt": "30-day money-back guarantee"},
        ],
        "title": "Shop with confidence",
    },
    "social_media_feed": {
        "platform": "instagram",
        "profileUrl": "https://www.instagram.com/funnelacademy",
        "postCount": 6,
    },
    "customer_count_ticker": {"count": 12480, "label": "entrepreneurs already joined", "suffix": "+"},
    "countdown_timer": {
        "endTime": "2030-11-29T23:59:59Z",
        "format": "dd:hh:mm:ss",
        "onExpire": "redirect",
        "expireRedirectUrl": "/offer-expired",
    },
    "stock_counter": {"remaining": 17, "total": 100, "label": "copies left at this price", "barColor": "#EF4444"},
    "limited_offer_banner": {
        "text": "Black Friday: 50% off all plans ends tonight at midnight",
        "backgroundColor": "#111827",
        "textColor": "#FFF",
        "endTime": "2030-11-30T05:00:00+00:00",
    },
    "exit_intent_popup": {
        "headline": "Wait! Take the checklist with you",
        "body": "Get our 27-point funnel checklist free before you go.",
        "ctaText": "Send It to Me",
        "ctaUrl": "/checklist",
        "dismissText": "No thanks, I'll figure it out",
    },
    "faq_accordion": {
        "items": [
            {"question": "Is there a money-back guarantee?", "answer": "Yes, 30 days, no questions asked."},
            {"question": "Do I need technical skills?", "answer": "No. Every template works out of the box."},
        ],
        "expandFirst": True,
    },
    "tabs": {
        "tabs": [
            {"title": "Overview", "content": "Everything you need to launch your first funnel this week."},
            {"title": "Curriculum", "content": "Six modules, 42 lessons, lifetime access."},
            {"title": "Bonuses", "content": "Swipe file, email templates and a private community."},
        ],
        "defaultTab": 0,
    },
    "progress_bar": {"percent": 50, "label": "Step 1 of 2: almost done!", "color": "#2563EB"},
    "quiz_survey": {
        "title": "Which funnel fits your business?",
        "questions": [
            {
                "name": "sells",
                "question": "What do you sell?",
                "options": [
                    {"label": "Physical products", "value": "physical"},
                    {"label": "Courses or coaching", "value": "knowledge"},
                    {"label": "Software", "value": "saas"},
                ],
            },
            {
                "name": "channels",
                "question": "Where does your traffic come from?",
                "type": "multiple_choice",
                "options": [
                    {"label": "Paid ads", "value": "ads"},
                    {"label": "Social media", "value": "social"},
                    {"label": "Search", "value": "seo"},
                ],
            },
        ],
        "submitText": "Show My Funnel",
    },
    "calendar_booking": {"provider": "calendly", "url": "https://calendly.com/acme-coaching/strategy-call"},
    "live_chat_widget": {"provider": "intercom", "widgetId": "a1b2c3d4", "greeting": "Questions? We reply in minutes."},
}
