"""The page's one script: a deferred inline module (never render-blocking) made of the snippets
for the features the page's elements use, so a page carries only what it needs. Its hash goes
into the page's Content-Security-Policy.

The view beacon is always there: it counts the view (``POST <step>/view``), sets the visitor id
cookie, and refreshes the form token, so a page a CDN served from its cache still counts and
still times its form from when the visitor saw it."""

from __future__ import annotations

# Each snippet runs once at load with ``d`` (the document) in scope.
SNIPPETS: dict[str, str] = {
    "beacon": (
        'const v=d.body.dataset.view;if(v)fetch(v,{method:"POST",keepalive:true,credentials:"same-origin",'
        'headers:{"content-type":"application/json"},body:JSON.stringify({referrer:d.referrer,'
        "query:location.search.slice(1)})}).then(r=>r.ok?r.json():null).then(j=>{if(j&&j.formToken)"
        "for(const i of d.querySelectorAll('input[name=\"_token\"]'))i.value=j.formToken}).catch(()=>{});"
    ),
    "form": (
        'for(const f of d.querySelectorAll("form[data-form]:not([data-checkout])"))f.addEventListener("submit",()=>'
        "setTimeout(()=>{for(const b of f.querySelectorAll('button[type=\"submit\"]'))b.disabled=true}));"
    ),
    # An order form in two steps: the order opened (its SetupIntent), the card taken by
    # Stripe.js, then charged by the server; the bank's authentication on the page if it asks.
    "checkout": (
        'for(const f of d.querySelectorAll("form[data-checkout]")){let s,card,a,busy=false;'
        'const say=m=>{f.querySelector("[data-pay-error]").textContent=m||""};'
        'const post=async x=>{const v=new FormData(f),b={_token:v.get("_token"),email:v.get("email"),'
        "bumps:[...f.querySelectorAll('input[name=\"bumps\"]:checked')].map(i=>i.value),...x};"
        'if(v.get("firstName"))b.firstName=v.get("firstName");'
        'const r=await fetch(f.action,{method:"POST",credentials:"same-origin",headers:{"content-type":'
        '"application/json"},body:JSON.stringify(b)});const j=await r.json().catch(()=>({}));'
        'if(!r.ok)throw new Error(j.error&&j.error.message||"The order could not be taken.");return j};'
        'const load=()=>new Promise((ok,no)=>{if(window.Stripe)return ok();const t=d.createElement("script");'
        't.src=f.dataset.stripeJs;t.onload=ok;t.onerror=()=>no(new Error("Payments could not be loaded: '
        'check your connection and try again."));d.head.append(t)});'
        'f.addEventListener("submit",async e=>{e.preventDefault();if(busy||!f.reportValidity())return;busy=true;say("");'
        "const p=e.submitter&&e.submitter.value||undefined;try{const first=!a;if(!a||a.stale)a=await post({productId:p});"
        "if(first){await load();s=Stripe(a.publishableKey,{stripeAccount:a.stripeAccount});"
        'card=s.elements().create("card");card.mount(f.querySelector("[data-card-element]"));'
        'f.querySelector("[data-card]").hidden=false;say("Enter your card, then confirm your order.");return}'
        'if(a.status!=="succeeded"){const r=await s.confirmCardSetup(a.setupClientSecret,{payment_method:{card}});'
        'if(r.error)throw new Error(r.error.message||"The card was declined.")}'
        'let q=await post({pay:true,productId:p});if(q.status==="requires_action"){'
        "const x=await s.confirmCardPayment(q.clientSecret);if(x.error)throw new Error(x.error.message||"
        '"The bank did not confirm the payment.");q=await post({pay:true,productId:p})}'
        "location.assign(q.next||location.href)}catch(x){if(a)a.stale=true;say(x.message)}finally{busy=false}})}"
    ),
    # An upsell's one click: the order's ticket from the URL's fragment, "yes" or "no thanks"
    # posted as JSON, Stripe.js loaded only when the bank wants the visitor to authenticate.
    "upsell": (
        'for(const f of d.querySelectorAll("form[data-upsell]")){const o=new URLSearchParams(location.hash.slice(1)).get("o")||"";'
        'f.elements.order.value=o;let busy=false;const say=m=>{f.querySelector("[data-pay-error]").textContent=m||""};'
        'const post=async y=>{const r=await fetch(f.action,{method:"POST",credentials:"same-origin",headers:{"content-type":'
        '"application/json"},body:JSON.stringify({accept:y,order:o})});const j=await r.json().catch(()=>({}));'
        'if(!r.ok)throw new Error(j.error&&j.error.message||"That did not work: try again.");return j};'
        'f.addEventListener("submit",async e=>{e.preventDefault();if(busy)return;busy=true;say("");'
        'const y=!(e.submitter&&e.submitter.value==="false");try{let a=await post(y);if(a.status==="requires_action"){'
        'if(!window.Stripe)await new Promise((ok,no)=>{const t=d.createElement("script");t.src=f.dataset.stripeJs;'
        't.onload=ok;t.onerror=()=>no(new Error("Payments could not be loaded: try again."));d.head.append(t)});'
        "const s=Stripe(a.publishableKey,{stripeAccount:a.stripeAccount});"
        "const x=await s.confirmCardPayment(a.clientSecret,{payment_method:a.paymentMethod});"
        'if(x.error)throw new Error(x.error.message||"The bank did not confirm the payment.");a=await post(true)}'
        "location.assign(a.next||location.href)}catch(x){say(x.message)}finally{busy=false}})}"
    ),
    "countdown": (
        'for(const e of d.querySelectorAll("[data-until]"))if(Date.parse(e.dataset.until)<Date.now())e.hidden=true;'
        'for(const e of d.querySelectorAll("[data-end]")){const end=Date.parse(e.dataset.end),'
        'f=e.dataset.format||"dd:hh:mm:ss",c=e.querySelector(".clock");let t;const tick=()=>{'
        "const s=Math.max(0,Math.floor((end-Date.now())/1e3));if(!s){clearInterval(t);const x=e.dataset.expire;"
        'if(x==="redirect"&&e.dataset.redirect)location.assign(e.dataset.redirect);'
        'else if(x==="show-message")e.textContent=e.dataset.message||"";else e.hidden=true;return}'
        "const p={dd:Math.floor(s/86400),hh:Math.floor(s/3600)%24,mm:Math.floor(s/60)%60,ss:s%60};"
        'if(f==="hh:mm:ss")p.hh=Math.floor(s/3600);if(f==="mm:ss")p.mm=Math.floor(s/60);'
        'if(c)c.textContent=f.split(":").map(k=>String(p[k]).padStart(2,"0")).join(":")};'
        "t=setInterval(tick,1e3);tick()}"
    ),
    "tabs": (
        'for(const w of d.querySelectorAll("[data-tabs]")){const tabs=[...w.querySelectorAll(\'[role="tab"]\')];'
        'const show=t=>{for(const o of tabs){const on=o===t;o.setAttribute("aria-selected",on);o.tabIndex=on?0:-1;'
        'd.getElementById(o.getAttribute("aria-controls")).hidden=!on}};w.classList.add("js");'
        'show(tabs.find(t=>t.getAttribute("aria-selected")==="true")||tabs[0]);'
        'w.addEventListener("click",e=>{const t=e.target.closest(\'[role="tab"]\');if(t)show(t)});'
        'w.addEventListener("keydown",e=>{const i=tabs.indexOf(d.activeElement);if(i<0)return;'
        'const n=e.key==="ArrowRight"?1:e.key==="ArrowLeft"?-1:0;if(n){const t=tabs[(i+n+tabs.length)%tabs.length];'
        "show(t);t.focus();e.preventDefault()}})}"
    ),
    "video": (
        'd.addEventListener("click",e=>{const a=e.target.closest("[data-embed]");if(!a)return;e.preventDefault();'
        'const f=d.createElement("iframe");f.src=a.dataset.embed;f.title=a.dataset.title||a.getAttribute("aria-label")'
        '||"Video";f.allow="autoplay; fullscreen; picture-in-picture";f.allowFullscreen=true;a.replaceWith(f);f.focus()});'
    ),
    "exit": (
        'for(const p of d.querySelectorAll("dialog[data-exit]")){const k="exit-"+p.parentElement.id,'
        'once=p.dataset.once==="1";let armed=!+p.dataset.delay,shown=false;'
        "setTimeout(()=>armed=true,+p.dataset.delay*1e3);"
        "const seen=()=>{try{return once&&localStorage.getItem(k)}catch{return false}};"
        'const open=()=>{if(!armed||shown||seen())return;shown=true;try{if(once)localStorage.setItem(k,"1")}catch{}'
        'p.showModal()};p.addEventListener("click",e=>{if(e.target.closest("[data-close]")||e.target===p)p.close()});'
        'd.addEventListener("mouseout",e=>{if(!e.relatedTarget&&e.clientY<=0)open()})}'
    ),
    "dismiss": (
        'd.addEventListener("click",e=>{const b=e.target.closest("[data-dismiss]");if(b)b.closest("aside").hidden=true});'
    ),
    "ticker": (
        'if(!matchMedia("(prefers-reduced-motion: reduce)").matches)for(const e of d.querySelectorAll("[data-count]")){'
        'const n=+e.dataset.count,t0=performance.now(),txt=e.textContent,all=n.toLocaleString("en-US");'
        "const step=t=>{const k=Math.min(1,(t-t0)/1200);"
        'e.textContent=txt.replace(all,Math.round(n*k).toLocaleString("en-US"));if(k<1)requestAnimationFrame(step)};'
        "requestAnimationFrame(step)}"
    ),
    "multistep": (
        'for(const m of d.querySelectorAll("[data-multistep]")){const pages=[...m.querySelectorAll(".page")];let i=0;'
        'const show=()=>pages.forEach((p,n)=>p.hidden=n!==i);m.addEventListener("click",e=>{'
        'const b=e.target.closest("[data-move]");if(!b)return;const mv=+b.dataset.move;'
        'if(mv>0)for(const x of pages[i].querySelectorAll("input,select,textarea"))if(!x.reportValidity())return;'
        'i=Math.max(0,Math.min(pages.length-1,i+mv));show();pages[i].querySelector("input,select,textarea")?.focus()});'
        "show()}"
    ),
    "chat": (
        'd.addEventListener("click",e=>{const b=e.target.closest("[data-chat]");if(!b||b.disabled)return;'
        'if(b.dataset.provider==="crisp"){window.$crisp=[];window.CRISP_WEBSITE_ID=b.dataset.widget}'
        'const s=d.createElement("script");s.src=b.dataset.chat;s.async=true;d.head.append(s);b.disabled=true});'
    ),
}


def page_script(features: set[str]) -> str:
    """The module script for a page that uses ``features``, in a fixed order so the same page
    always hashes the same."""
    body = "".join(SNIPPETS[name] for name in SNIPPETS if name in features or name == "beacon")
    return f"const d=document;{body}"
