"""Write the accuracy-set résumés r01.json ... r30.json from hand-written pools.

r31.json onwards are written by hand (not by this script) to vary the wording further: German
headings, prose-like bullets, grouped skills lines, year-only dates.

Run once with `python tests/profiles/resumes/generate.py`; the JSON files are committed and are
what the tests read. Every bullet below carries the skills a human annotator would tag in it
(canonical taxonomy names, written by hand, never looked up by the parser), so the `expected`
block of each résumé is ground truth the parser never sees. Seeded: the output is stable.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

TODAY = (2026, 11)  # "Present" in the expected totals; the tests pass the same date.
HERE = Path(__file__).parent

PEOPLE = [
    ("Zoë Çelik", "Istanbul, Türkiye", "+90 532 555 01 42", "backend"),
    ("Nguyễn Văn An", "Hanoi, Vietnam", "+84 912 345 678", "frontend"),
    ("Søren Ødegård", "Oslo, Norway", "+47 912 34 567", "devops"),
    ("José Muñoz", "Madrid, Spain", "+34 612 345 678", "data"),
    ("Aisha Al-Farsi", "Dubai, United Arab Emirates", "+971 50 123 4567", "ml"),
    ("Priya Raghunathan", "Bengaluru, India", "+91 98450 12345", "backend"),
    ("Liam O'Connor", "Dublin, Ireland", "+353 87 123 4567", "mobile"),
    ("Mei Lin Tan", "Singapore, Singapore", "+65 9123 4567", "frontend"),
    ("Jakub Nowak", "Kraków, Poland", "+48 512 345 678", "backend"),
    ("Amara Okafor", "Lagos, Nigeria", "+234 803 123 4567", "data"),
    ("Lukas Müller", "Berlin, Germany", "+49 30 901820", "devops"),
    ("Camille Dubois", "Lyon, France", "+33 6 12 34 56 78", "frontend"),
    ("Hiroshi Tanaka", "Tokyo, Japan", "+81 90 1234 5678", "systems"),
    ("Sofia Rossi", "Milan, Italy", "+39 347 123 4567", "ml"),
    ("Mateus Oliveira", "São Paulo, Brazil", "+55 11 91234 5678", "backend"),
    ("Emma Johansson", "Stockholm, Sweden", "+46 70 123 45 67", "mobile"),
    ("Daniel Cohen", "Tel Aviv, Israel", "+972 52 123 4567", "systems"),
    ("Fatima Zahra Benali", "Casablanca, Morocco", "+212 612 345678", "data"),
    ("Noah Williams", "Austin, USA", "(512) 555-0134", "backend"),
    ("Chloé Lefèvre", "Montréal, Canada", "+1 514 555 0199", "frontend"),
    ("Ingrid Larsen", "Copenhagen, Denmark", "+45 20 12 34 56", "devops"),
    ("Kwame Mensah", "Accra, Ghana", "+233 24 123 4567", "mobile"),
    ("Olga Ivanova", "Tallinn, Estonia", "+372 5123 4567", "data"),
    ("Rafael Gómez", "Bogotá, Colombia", "+57 301 234 5678", "ml"),
    ("Hannah Schmidt", "Vienna, Austria", "+43 664 1234567", "backend"),
    ("Arjun Mehta", "London, United Kingdom", "+44 20 7946 0958", "systems"),
    ("Yuki Sato", "Osaka, Japan", "+81 6 1234 5678", "frontend"),
    ("Elif Yılmaz", "Ankara, Türkiye", "+90 312 555 0188", "devops"),
    ("Marta Kowalczyk", "Warsaw, Poland", "+48 22 123 45 67", "ml"),
    ("Tomás Ferreira", "Lisbon, Portugal", "+351 912 345 678", "backend"),
]

# (bullet text, skills a human would tag in it)
BULLETS: dict[str, list[tuple[str, list[str]]]] = {
    "backend": [
        (
            "Led the migration from RabbitMQ to Kafka across 14 services, "
            "cutting p99 latency by 30%.",
            ["RabbitMQ", "Apache Kafka"],
        ),
        (
            "Built an idempotent ledger service in Go with PostgreSQL, "
            "processing 2M payments a day.",
            ["Go", "PostgreSQL", "Payments"],
        ),
        (
            "Designed REST APIs in Python and Django serving 3 million users.",
            ["REST", "Python", "Django"],
        ),
        ("Rewrote the search backend on Elasticsearch, halving query time.", ["Elasticsearch"]),
        (
            "Introduced Redis caching in front of MySQL, reducing database load by 60%.",
            ["Redis", "MySQL", "Caching"],
        ),
        ("Owned the order pipeline written in Java 17 and Spring Boot.", ["Java", "Spring Boot"]),
        ("Maintained internal tools in Node.js and TypeScript.", ["Node.js", "TypeScript"]),
        (
            "Wrote gRPC services in Go and deployed them to Kubernetes.",
            ["gRPC", "Go", "Kubernetes"],
        ),
        ("Added OpenTelemetry tracing to 20 FastAPI services.", ["OpenTelemetry", "FastAPI"]),
        ("Worked with backend systems and helped with various tasks.", []),
        ("Mentored 4 junior engineers through weekly code reviews.", ["Code review"]),
        ("Moved batch jobs from cron to Celery workers on AWS.", ["Celery", "Amazon Web Services"]),
        ("Implemented GraphQL gateway with Apollo Server for the mobile apps.", ["GraphQL"]),
        (
            "Built the billing service in C# on ASP.NET Core with SQL Server.",
            ["C#", "ASP.NET Core", "Microsoft SQL Server"],
        ),
        ("Migrated the monolith to Docker containers, shipping 40 releases a month.", ["Docker"]),
    ],
    "frontend": [
        (
            "Rebuilt the checkout in React and TypeScript, lifting conversion by 12%.",
            ["React", "TypeScript"],
        ),
        (
            "Introduced Storybook and a design system used by 6 teams.",
            ["Storybook", "Design systems"],
        ),
        ("Migrated 300 components from AngularJS to Vue.js 3.", ["AngularJS", "Vue.js"]),
        ("Cut bundle size by 45% with Vite and code splitting.", ["Vite"]),
        (
            "Wrote end-to-end tests in Cypress for the onboarding flow.",
            ["Cypress", "End-to-end testing"],
        ),
        ("Built server-rendered pages with Next.js on Vercel.", ["Next.js", "Vercel"]),
        ("Improved accessibility to WCAG 2.1 AA across the dashboard.", ["Web Accessibility"]),
        ("Styled the marketing site with Tailwind CSS and Sass.", ["Tailwind CSS", "Sass"]),
        ("Familiar with various frontend frameworks.", []),
        ("Managed state with Redux and RxJS in a trading dashboard.", ["Redux", "RxJS"]),
        ("Drew real-time charts with D3.js for 50k daily users.", ["D3.js"]),
        ("Set up Jest unit tests, raising coverage from 20% to 80%.", ["Jest", "Unit testing"]),
        ("Shipped a Svelte widget embedded on 2,000 partner sites.", ["Svelte"]),
    ],
    "devops": [
        (
            "Moved 120 services to Kubernetes with Helm charts and Argo CD.",
            ["Kubernetes", "Helm", "Argo CD"],
        ),
        (
            "Wrote Terraform modules for AWS networking used by 9 teams.",
            ["Terraform", "Amazon Web Services", "Networking"],
        ),
        (
            "Cut CI time from 40 to 12 minutes by caching in GitHub Actions.",
            ["GitHub Actions", "Continuous integration", "Caching"],
        ),
        (
            "Ran Prometheus and Grafana for 300 nodes; on-call lead.",
            ["Prometheus", "Grafana", "Incident management"],
        ),
        ("Automated server builds with Ansible on Ubuntu.", ["Ansible", "Ubuntu"]),
        ("Replaced Jenkins pipelines with GitLab CI.", ["Jenkins", "GitLab CI"]),
        (
            "Introduced Vault for secrets management across environments.",
            ["Vault", "Secrets management"],
        ),
        (
            "Built a log pipeline with Fluentd, Elasticsearch and Kibana.",
            ["Fluentd", "Elasticsearch", "Kibana"],
        ),
        ("Exposure to cloud and various tools.", []),
        ("Scripted maintenance in Bash and Python on Linux hosts.", ["Bash", "Python", "Linux"]),
        (
            "Operated Nginx and HAProxy load balancers for 1 million requests per minute.",
            ["Nginx", "HAProxy"],
        ),
        (
            "Migrated workloads from Azure to Google Cloud, saving $400k a year.",
            ["Microsoft Azure", "Google Cloud Platform"],
        ),
    ],
    "data": [
        (
            "Built Airflow pipelines loading 2 TB a day into Snowflake.",
            ["Apache Airflow", "Snowflake"],
        ),
        ("Modelled the warehouse in dbt with 300 tested models.", ["dbt"]),
        ("Ran Spark jobs on Databricks, cutting costs by 35%.", ["Apache Spark", "Databricks"]),
        (
            "Wrote analyses in R and Python (pandas) for the pricing team.",
            ["R", "Python", "pandas"],
        ),
        ("Streamed events from Kafka into BigQuery in real time.", ["Apache Kafka", "BigQuery"]),
        ("Built Tableau dashboards used by 200 managers.", ["Tableau"]),
        ("Knowledge of data and reporting.", []),
        ("Tuned SQL queries on PostgreSQL, making reports 5x faster.", ["SQL", "PostgreSQL"]),
        ("Designed A/B testing analyses for the growth team.", ["A/B testing"]),
        ("Maintained Hadoop jobs before moving them to Flink.", ["Hadoop", "Apache Flink"]),
        ("Produced Power BI reports for finance.", ["Power BI"]),
    ],
    "ml": [
        ("Trained PyTorch ranking models, lifting click-through by 8%.", ["PyTorch"]),
        (
            "Served models with ONNX on Kubernetes at 2,000 requests per second.",
            ["ONNX", "Kubernetes"],
        ),
        (
            "Built a retrieval-augmented generation prototype with LangChain and FAISS.",
            ["Retrieval-augmented generation", "LangChain", "FAISS"],
        ),
        ("Tracked experiments in MLflow for a team of 7.", ["MLflow"]),
        ("Fine-tuned BERT for ticket classification in TensorFlow.", ["BERT", "TensorFlow"]),
        (
            "Engineered features in scikit-learn and XGBoost for churn prediction.",
            ["scikit-learn", "XGBoost", "Feature engineering"],
        ),
        ("Worked with machine learning and data.", ["Machine learning"]),
        (
            "Deployed forecasting models on SageMaker.",
            ["Amazon SageMaker", "Time series forecasting"],
        ),
        (
            "Wrote Python data loaders with NumPy, reducing training time by 25%.",
            ["Python", "NumPy"],
        ),
        (
            "Built computer vision pipelines with OpenCV for 40 stores.",
            ["Computer vision", "OpenCV"],
        ),
        ("Wrote statistical models in R for demand planning.", ["R"]),
    ],
    "mobile": [
        (
            "Shipped the iOS app in Swift and SwiftUI to 1 million users.",
            ["iOS", "Swift", "SwiftUI"],
        ),
        (
            "Rebuilt the Android app in Kotlin with Jetpack Compose.",
            ["Android", "Kotlin", "Jetpack Compose"],
        ),
        ("Built a React Native app for field technicians.", ["React Native"]),
        ("Cut crash rate by 70% using Firebase Crashlytics.", ["Firebase"]),
        ("Automated releases with Fastlane and GitHub Actions.", ["Fastlane", "GitHub Actions"]),
        ("Wrote Flutter screens in Dart for the loyalty programme.", ["Flutter", "Dart"]),
        ("Helped with mobile development.", []),
        ("Added offline sync with Core Data and a REST API.", ["Core Data", "REST"]),
        ("Tested flows with Espresso and XCTest on 30 devices.", ["Espresso", "XCTest"]),
    ],
    "systems": [
        (
            "Wrote a lock-free queue in C++17, doubling throughput.",
            ["C++", "Lock-free programming"],
        ),
        ("Ported the storage engine from C to Rust, removing 12 memory bugs.", ["C", "Rust"]),
        ("Profiled hot paths with perf and Valgrind.", ["Profilers", "Valgrind"]),
        (
            "Built the firmware for STM32 boards in embedded C on FreeRTOS.",
            ["Microcontrollers", "Embedded C", "FreeRTOS"],
        ),
        (
            "Maintained CMake builds for Linux and Windows Server.",
            ["CMake", "Linux", "Windows Server"],
        ),
        ("Implemented a Raft-based replication layer in Go.", ["Consensus algorithms", "Go"]),
        ("Familiar with low-level stuff.", []),
        ("Optimised SIMD kernels with AVX2, making decoding 3x faster.", ["SIMD"]),
        ("Wrote kernel modules for a custom network driver.", ["Linux kernel", "Device drivers"]),
    ],
}

SKILL_LISTS = {
    "backend": [
        "Python",
        "Go",
        "Java",
        "PostgreSQL",
        "Redis",
        "Docker",
        "k8s",
        "AWS",
        "gRPC",
        "Linux",
    ],
    "frontend": [
        "JavaScript",
        "TypeScript",
        "React",
        "Vue",
        "HTML5",
        "CSS3",
        "Figma",
        "Webpack",
        "Jest",
    ],
    "devops": [
        "Terraform",
        "Kubernetes",
        "Helm",
        "AWS",
        "GCP",
        "Ansible",
        "Bash",
        "Python",
        "Prometheus",
    ],
    "data": ["SQL", "Python", "R", "Airflow", "dbt", "Spark", "Tableau", "Snowflake", "postgres"],
    "ml": [
        "Python",
        "PyTorch",
        "TensorFlow",
        "scikit-learn",
        "pandas",
        "NumPy",
        "MLflow",
        "Docker",
    ],
    "mobile": ["Swift", "Kotlin", "Dart", "Flutter", "Firebase", "Xcode", "Android Studio", "Git"],
    "systems": ["C", "C++", "Rust", "Go", "Linux", "CMake", "GDB", "Python", "Git"],
}
SKILL_CANONICAL = {
    "k8s": "Kubernetes", "AWS": "Amazon Web Services", "Vue": "Vue.js", "HTML5": "HTML",
    "CSS3": "CSS", "GCP": "Google Cloud Platform", "Airflow": "Apache Airflow",
    "Spark": "Apache Spark", "postgres": "PostgreSQL",
}  # fmt: skip

SUMMARIES = {
    "backend": ("Backend engineer who likes boring, reliable systems and good tests.", []),
    "frontend": ("Front-end developer focused on fast, accessible interfaces.", []),
    "devops": ("Platform engineer who automates everything twice.", []),
    "data": ("Data engineer turning messy events into trustworthy tables.", []),
    "ml": ("Machine learning engineer shipping models to production.", ["Machine learning"]),
    "mobile": ("Mobile developer with a soft spot for offline-first apps.", []),
    "systems": ("Systems programmer who enjoys performance work.", []),
}
TITLES = {
    "backend": [
        "Backend Engineer",
        "Senior Backend Engineer",
        "Software Engineer",
        "Junior Developer",
    ],
    "frontend": ["Frontend Developer", "Senior Frontend Engineer", "UI Engineer", "Web Developer"],
    "devops": [
        "DevOps Engineer",
        "Site Reliability Engineer",
        "Platform Engineer",
        "Systems Administrator",
    ],
    "data": ["Data Engineer", "Analytics Engineer", "Data Analyst", "Senior Data Engineer"],
    "ml": ["Machine Learning Engineer", "Data Scientist", "Research Engineer", "ML Intern"],
    "mobile": ["iOS Developer", "Android Engineer", "Mobile Developer", "Senior Mobile Engineer"],
    "systems": [
        "Systems Engineer",
        "Firmware Engineer",
        "Performance Engineer",
        "Software Engineer",
    ],
}
EMPLOYERS = [
    "Paylane", "Nordlys AS", "Quantia Labs", "Brightwave GmbH", "Tessellate Ltd", "Kumo Systems",
    "Verdant Health", "Orbital Freight", "Lumen & Co", "Hexagon Analytics", "Bluefin Retail",
    "Cobalt Robotics", "Atlas Mobility", "Fjord Energy", "Saffron Payments", "Meridian Media",
]  # fmt: skip
HEADINGS = {
    "summary": ["Summary", "PROFILE", "About me", "Professional Summary", "In short"],
    "experience": [
        "Experience", "WORK EXPERIENCE", "Where I've worked", "Employment History",
        "Professional Experience", "Career",
    ],
    "education": ["Education", "EDUCATION", "Academic Background", "Studies"],
    "projects": ["Projects", "Side Projects", "Selected Projects", "Open Source"],
    "skills": ["Skills", "TECHNICAL SKILLS", "Toolbox", "Tech Stack", "Core Competencies"],
}  # fmt: skip
DATE_STYLES = ["mon", "iso", "slash", "long", "mon", "mon", "iso", "year"]
HEADER_STYLES = ["comma", "pipe", "two_line", "date_first", "at_parens"]
UNIVERSITIES = [
    ("BSc Computer Science", "University of Edinburgh"),
    ("MSc Informatics", "Technical University of Munich"),
    ("BEng Software Engineering", "Politecnico di Milano"),
    ("BSc Mathematics", "University of Lagos"),
    ("MSc Data Science", "KTH Royal Institute of Technology"),
    ("BSc Information Systems", "National University of Singapore"),
]  # fmt: skip
PROJECTS = [
    ("tinyqueue", "A durable job queue in Rust with a web dashboard.", ["Rust"]),
    ("feedreader", "An RSS reader built with Flask and SQLite.", ["Flask", "SQLite"]),
    ("trailmap", "Offline hiking maps in Kotlin using Leaflet tiles.", ["Kotlin", "Leaflet"]),
    ("pricebot", "A Telegram bot in Python that tracks prices with Redis.", ["Python", "Redis"]),
    ("dotfiles", "My shell setup for tmux and Neovim.", ["tmux", "Vim"]),
]  # fmt: skip
NOISE = [
    "Spring 2019 hackathon winner for a good R&D prototype.",  # no Spring/Go/R skills here
    "Organised a go-to-market workshop with the sales team.",
]


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _roles(rng: random.Random, track: str) -> list[dict[str, object]]:
    """3-4 roles back in time, sometimes overlapping (a side contract)."""
    roles = []
    end = _month_index(*TODAY)
    current = True
    for _ in range(rng.randint(2, 4)):
        length = rng.randint(8, 40)
        start = end - length + 1
        roles.append({"start": start, "end": end, "current": current})
        current = False
        end = start - rng.randint(0, 5)
    if rng.random() < 0.3:  # an overlapping freelance role inside the second job
        inner = roles[1]
        span = int(inner["end"]) - int(inner["start"])
        s = int(inner["start"]) + span // 4
        roles.append(
            {"start": s, "end": s + max(3, span // 3), "current": False, "freelance": True}
        )
    return roles


def _fmt(index: int, style: str) -> str:
    year, month = divmod(index, 12)
    month += 1
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    long = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]  # fmt: skip
    return {
        "mon": f"{names[month - 1]} {year}",
        "iso": f"{year}-{month:02d}",
        "slash": f"{month:02d}/{year}",
        "long": f"{long[month - 1]} {year}",
        "year": f"{year}",
    }[style]


def make(number: int) -> dict[str, object]:
    """One résumé: content, layout and the expected fields."""
    rng = random.Random(1000 + number)
    name, location, phone, track = PEOPLE[number - 1]
    handle = "".join(ch for ch in name.lower().split()[0] if ch.isascii() and ch.isalpha()) or "dev"
    handle += str(number)
    links = []
    if rng.random() < 0.8:
        links.append(f"https://github.com/{handle}")
    if rng.random() < 0.7:
        links.append(f"https://linkedin.com/in/{handle}-cv")
    if rng.random() < 0.3:
        links.append(f"https://{handle}.dev")
    date_style = DATE_STYLES[number % len(DATE_STYLES)]
    skills: set[str] = set()
    pool = list(BULLETS[track])
    rng.shuffle(pool)
    roles_out = []
    for i, role in enumerate(_roles(rng, track)):
        picks = [pool.pop() for _ in range(min(len(pool), rng.randint(2, 3)))]
        for _, tags in picks:
            skills.update(tags)
        end = "Present" if role["current"] else _fmt(int(role["end"]), date_style)
        title = "Freelance Developer" if role.get("freelance") else rng.choice(TITLES[track])
        roles_out.append(
            {
                "title": title,
                "employer": EMPLOYERS[(number * 3 + i) % len(EMPLOYERS)],
                "location": location.split(",")[0] if i % 2 == 0 else "Remote",
                "dates": f"{_fmt(int(role['start']), date_style)} – {end}",
                "bullets": [text for text, _ in picks],
                "months": [int(role["start"]), int(role["end"])],
            }
        )
    covered = set()
    for role in roles_out:
        start, end = role.pop("months")  # type: ignore[misc]
        covered |= set(range(start, end + 1))
    skill_list = rng.sample(SKILL_LISTS[track], k=rng.randint(5, 8))
    skills.update(SKILL_CANONICAL.get(s, s) for s in skill_list)
    summary, summary_skills = SUMMARIES[track]
    skills.update(summary_skills)
    projects = []
    if rng.random() < 0.6:
        pname, ptext, ptags = rng.choice(PROJECTS)
        projects.append({"name": pname, "bullets": [ptext]})
        skills.update(ptags)
    degree, university = UNIVERSITIES[number % len(UNIVERSITIES)]
    if "Data Science" in degree:
        skills.add("Data science")
    grad = 2026 - len(covered) // 12 - rng.randint(0, 2)
    email_domain = rng.choice(["example.com", "mail.example.org", "proton.example"])
    return {
        "id": f"r{number:02d}",
        "layout": {
            "pdf_columns": 2 if number % 3 == 0 else 1,
            "docx_tables": number % 4 == 0,
            "docx_hyperlinks": number % 5 == 0,
            "header_style": HEADER_STYLES[number % len(HEADER_STYLES)],
            "headings": {k: v[(number + len(k)) % len(v)] for k, v in HEADINGS.items()},
        },
        "person": {
            "name": name,
            "email": f"{handle}@{email_domain}",
            "phone": phone,
            "location": location,
            "links": links,
        },
        "summary": summary,
        "roles": roles_out,
        "education": [
            {"degree": degree, "institution": university, "years": f"{grad - 4} – {grad}"}
        ],
        "projects": projects,
        "skills": skill_list,
        "extra": [NOISE[number % 2]] if number % 3 == 1 else [],
        "expected": {
            "email": f"{handle}@{email_domain}",
            "phone": phone,
            "links": links,
            "skills": sorted(skills),
            "total_months": len(covered),
        },
    }


def main() -> None:
    """Write every résumé file."""
    for number in range(1, len(PEOPLE) + 1):
        path = HERE / f"r{number:02d}.json"
        path.write_text(json.dumps(make(number), ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
