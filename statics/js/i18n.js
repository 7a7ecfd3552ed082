const STORAGE_KEY = 'lang';
export const LANGS = ['id', 'en'];
export const DEFAULT_LANG = 'id';

const plural = (n, one, many) => (Number(n) === 1 ? one : many);

export const messages = {
  id: {
    'app.name': 'e-PTSP Kalimantan Utara',
    'app.wordmarkTop': 'e-PTSP',
    'app.wordmarkBottom': 'Kalimantan Utara',
    'app.office': 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Provinsi Kalimantan Utara',
    'app.homeLink': 'e-PTSP Kalimantan Utara, ke Dashboard',
    'app.skip': 'Langsung ke konten utama',
    'app.noscript': 'Aplikasi e-PTSP memerlukan JavaScript. Aktifkan JavaScript di browser Anda lalu muat ulang halaman ini.',

    'nav.label': 'Menu utama',
    'nav.toggle': 'Menu',
    'nav.dashboard': 'Dashboard',
    'nav.permohonanIzin': 'Permohonan Izin',
    'nav.pengajuan': 'Pengajuan Permohonan',
    'nav.permohonanSaya': 'Permohonan Saya',
    'nav.fileSaya': 'File Saya',
    'nav.monitoring': 'Monitoring Izin',
    'nav.inbox': 'Inbox',
    'nav.survey': 'Survey IKM',
    'nav.pengaduan': 'Pengaduan',
    'nav.masuk': 'Masuk',
    'nav.daftar': 'Daftar',
    'nav.profil': 'Edit Profile',
    'nav.ubahPassword': 'Ubah Password',
    'nav.keluar': 'Keluar',
    'user.menu': 'Akun',
    'user.guest': 'Anda belum masuk.',
    'lang.label': 'Bahasa',
    'lang.id': 'Bahasa Indonesia',
    'lang.en': 'English',

    'dashboard.title': 'Dashboard',
    'dashboard.welcome': 'Selamat datang di e-PTSP, layanan perizinan online Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Provinsi Kalimantan Utara.',
    'dashboard.menuHeading': 'Pilihan menu',
    'dashboard.desc.pengajuan': 'Ajukan permohonan perizinan secara online dalam 4 langkah.',
    'dashboard.desc.permohonanSaya': 'Lihat permohonan yang sudah Anda ajukan dan cetak resi.',
    'dashboard.desc.fileSaya': 'Lihat dan unggah file persyaratan untuk dipakai kembali.',
    'dashboard.desc.monitoring': 'Pantau proses izin Anda dengan nomor resi perizinan.',
    'dashboard.desc.survey': 'Beri penilaian atas layanan perizinan yang Anda terima.',
    'dashboard.desc.pengaduan': 'Sampaikan pengaduan, saran, atau masukan kepada kami.',

    'soon.title': 'Segera hadir',
    'soon.body': 'Halaman ini sedang kami siapkan dan akan segera tersedia. Terima kasih atas kesabaran Anda.',
    'soon.hint': 'Sementara itu, Anda sudah dapat melihat jenis izin beserta persyaratannya melalui menu Pengajuan Permohonan.',
    'soon.toDashboard': 'Ke Dashboard',
    'notFound.title': 'Halaman tidak ditemukan',
    'notFound.body': 'Alamat yang Anda buka tidak tersedia. Silakan kembali ke Dashboard dan pilih menu yang Anda perlukan.',

    'wizard.title': 'Pengajuan Permohonan',
    'wizard.intro': 'Ajukan permohonan izin secara online dalam 4 langkah.',
    'wizard.steps': 'Langkah pengajuan',
    'wizard.stepOf': 'Langkah {n} dari 4',
    'wizard.stepDone': '(selesai)',
    'wizard.stepCurrent': '(langkah saat ini)',
    'step.1': 'Jenis Izin',
    'step.2': 'Jenis Layanan',
    'step.3': 'Jenis Permohonan & Persyaratan',
    'step.4': 'Isi Kelengkapan',

    'step1.heading': 'Langkah 1: Memilih Jenis Izin',
    'step1.help': 'Pilih salah satu izin yang ingin Anda ajukan.',
    'step1.none': 'Belum ada jenis izin yang tersedia.',
    'search.label': 'Cari izin',
    'search.hint': 'Ketik nama izin, bidang, atau kata kunci.',
    'search.count': '{shown} dari {total} izin ditampilkan',
    'search.empty': 'Tidak ada izin yang cocok dengan "{q}". Periksa ejaan atau gunakan kata kunci lain.',
    'loading.izin': 'Memuat daftar izin…',
    'loading.layanan': 'Memuat jenis layanan…',
    'loading.persyaratan': 'Memuat persyaratan…',
    'loading.generic': 'Memuat…',

    'step2.heading': 'Langkah 2: Memilih Jenis Layanan Izin',
    'step2.help': 'Pilih jenis layanan untuk izin yang Anda pilih.',
    'step2.none': 'Belum ada jenis layanan untuk izin ini.',
    'step2.options': (v) => `${v.n} pilihan jenis permohonan`,

    'step3.heading': 'Langkah 3: Memilih Jenis Permohonan Izin',
    'step3.help': 'Pilih jenis permohonan. Persyaratan akan ditampilkan secara otomatis.',
    'step3.choiceLabel': 'Jenis permohonan',
    'step3.none': 'Belum ada jenis permohonan untuk layanan ini.',
    'step3.selectFirst': 'Pilih jenis permohonan terlebih dahulu, lalu tekan Lanjut.',
    'step3.notReady': 'Persyaratan belum termuat. Tunggu sebentar atau tekan Coba lagi.',
    'step3.layananMissing': 'Jenis layanan yang dipilih tidak ditemukan pada izin ini. Silakan pilih kembali.',
    'step3.selected': 'dipilih',

    'choice.heading': 'Pilihan Anda',
    'choice.izin': 'Izin',
    'choice.layanan': 'Jenis layanan',
    'choice.permohonan': 'Jenis permohonan',
    'izin.sector': 'Bidang',
    'izin.legalBasis': 'Dasar hukum',

    'jenis.baru': 'Baru',
    'jenis.perpanjangan': 'Perpanjangan',
    'jenis.perubahan': 'Perubahan',
    'jenis.pencabutan': 'Pencabutan',

    'info.heading': 'Informasi permohonan',
    'sla.label': 'Lama proses',
    'sla.value': (v) => `${v.n} hari kerja`,
    'sla.sentence': (v) => `Lama proses: ${v.n} hari kerja`,
    'fee.label': 'Biaya',
    'fee.free': 'Gratis',
    'company.label': 'Data perusahaan',
    'company.required': 'Wajib diisi',
    'company.optional': 'Opsional (isi jika memiliki perusahaan)',
    'company.none': 'Tidak diperlukan',
    'survey.label': 'Tinjauan lapangan',
    'survey.yes': 'Ya, petugas akan melakukan tinjauan lapangan',
    'survey.no': 'Tidak ada',

    'persyaratan.heading': 'Persyaratan',
    'persyaratan.help': 'Siapkan dokumen berikut. Dokumen diunggah pada Langkah 4 (Isi Kelengkapan).',
    'persyaratan.none': 'Tidak ada dokumen persyaratan untuk permohonan ini.',
    'persyaratan.wajib': 'Wajib',
    'persyaratan.opsional': 'Opsional',
    'persyaratan.fileTypes': 'Format file: {types}',

    'btn.lanjut': 'Lanjut',
    'btn.kembali': 'Kembali',
    'btn.batal': 'Batal',
    'btn.retry': 'Coba lagi',
    'btn.close': 'Tutup pesan',

    'cancel.title': 'Batalkan pengajuan?',
    'cancel.body': 'Pilihan Anda pada pengajuan ini tidak disimpan dan Anda akan kembali ke Dashboard.',
    'cancel.confirm': 'Ya, batalkan',
    'cancel.stay': 'Tidak, lanjutkan pengajuan',

    'step4.heading': 'Langkah 4: Isi Kelengkapan',
    'step4.intro': 'Pada langkah ini Anda akan mengisi:',
    'step4.pemohon': 'Data Pemohon',
    'step4.perusahaan': 'Data Perusahaan (jika memiliki perusahaan)',
    'step4.perusahaanWajib': 'Data Perusahaan (wajib untuk izin ini)',
    'step4.lokasi': 'Lokasi Izin',
    'step4.detail': 'Data Detail dan Lampiran Persyaratan',
    'step4.loginTitle': 'Silakan masuk atau daftar untuk melanjutkan',
    'step4.loginBody': 'Langkah Isi Kelengkapan memerlukan akun e-PTSP agar data dan berkas Anda tersimpan dengan aman. Belum punya akun? Pilih Daftar.',

    'err.title': 'Terjadi kesalahan',
    'err.network': 'Tidak dapat terhubung ke server. Periksa koneksi internet Anda lalu coba lagi.',
    'err.timeout': 'Server terlalu lama merespons. Periksa koneksi internet Anda lalu coba lagi.',
    'err.server': 'Server sedang mengalami gangguan. Silakan coba lagi beberapa saat lagi.',
    'err.notFound': 'Data yang diminta tidak ditemukan.',
    'err.tooMany': 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
    'err.generic': 'Terjadi kesalahan saat memproses permintaan (kode {status}).',
    'err.badData': 'Data dari server tidak dapat dibaca.',
    'err.hintRetry': 'Tekan Coba lagi. Jika masalah berlanjut, hubungi kantor DPMPTSP Provinsi Kalimantan Utara.',
    'err.hintNotFound': 'Data ini mungkin sudah tidak tersedia. Silakan pilih kembali dari daftar.',
    'err.chooseAgain': 'Pilih izin lain',
    'err.inline': 'Data belum dapat dimuat. Lihat pesan di atas.',

    'footer.rights': (v) => `© ${v.year} DPMPTSP Provinsi Kalimantan Utara`,
    'footer.tz': 'Semua waktu ditampilkan dalam WITA.',
  },

  en: {
    'app.name': 'e-PTSP Kalimantan Utara',
    'app.wordmarkTop': 'e-PTSP',
    'app.wordmarkBottom': 'Kalimantan Utara',
    'app.office': 'One-Stop Investment and Licensing Service Office (DPMPTSP) of Kalimantan Utara Province',
    'app.homeLink': 'e-PTSP Kalimantan Utara, go to Dashboard',
    'app.skip': 'Skip to main content',
    'app.noscript': 'e-PTSP needs JavaScript. Turn on JavaScript in your browser and reload this page.',

    'nav.label': 'Main menu',
    'nav.toggle': 'Menu',
    'nav.dashboard': 'Dashboard',
    'nav.permohonanIzin': 'Permit Applications',
    'nav.pengajuan': 'Submit an Application',
    'nav.permohonanSaya': 'My Applications',
    'nav.fileSaya': 'My Files',
    'nav.monitoring': 'Permit Monitoring',
    'nav.inbox': 'Inbox',
    'nav.survey': 'Satisfaction Survey (IKM)',
    'nav.pengaduan': 'Complaints',
    'nav.masuk': 'Log in',
    'nav.daftar': 'Register',
    'nav.profil': 'Edit Profile',
    'nav.ubahPassword': 'Change Password',
    'nav.keluar': 'Log out',
    'user.menu': 'Account',
    'user.guest': 'You are not logged in.',
    'lang.label': 'Language',
    'lang.id': 'Bahasa Indonesia',
    'lang.en': 'English',

    'dashboard.title': 'Dashboard',
    'dashboard.welcome': 'Welcome to e-PTSP, the online permit service of the One-Stop Investment and Licensing Service Office (DPMPTSP) of Kalimantan Utara Province.',
    'dashboard.menuHeading': 'Menu',
    'dashboard.desc.pengajuan': 'Apply for a permit online in 4 steps.',
    'dashboard.desc.permohonanSaya': 'See the applications you have submitted and print receipts.',
    'dashboard.desc.fileSaya': 'See and upload requirement files to reuse them later.',
    'dashboard.desc.monitoring': 'Follow your permit with its receipt number.',
    'dashboard.desc.survey': 'Rate the licensing service you received.',
    'dashboard.desc.pengaduan': 'Send us a complaint, suggestion or feedback.',

    'soon.title': 'Coming soon',
    'soon.body': 'We are preparing this page and it will be available soon. Thank you for your patience.',
    'soon.hint': 'Meanwhile, you can already browse permit types and their requirements under Submit an Application.',
    'soon.toDashboard': 'Go to Dashboard',
    'notFound.title': 'Page not found',
    'notFound.body': 'The address you opened does not exist. Please go back to the Dashboard and choose the menu you need.',

    'wizard.title': 'Submit an Application',
    'wizard.intro': 'Apply for a permit online in 4 steps.',
    'wizard.steps': 'Application steps',
    'wizard.stepOf': 'Step {n} of 4',
    'wizard.stepDone': '(completed)',
    'wizard.stepCurrent': '(current step)',
    'step.1': 'Permit Type',
    'step.2': 'Service Type',
    'step.3': 'Application Type & Requirements',
    'step.4': 'Complete the Details',

    'step1.heading': 'Step 1: Choose the Permit Type',
    'step1.help': 'Choose the permit you want to apply for.',
    'step1.none': 'No permit types are available yet.',
    'search.label': 'Search permits',
    'search.hint': 'Type a permit name, sector or keyword.',
    'search.count': 'Showing {shown} of {total} permits',
    'search.empty': 'No permit matches "{q}". Check the spelling or try another keyword.',
    'loading.izin': 'Loading permits…',
    'loading.layanan': 'Loading services…',
    'loading.persyaratan': 'Loading requirements…',
    'loading.generic': 'Loading…',

    'step2.heading': 'Step 2: Choose the Service Type',
    'step2.help': 'Choose the service for the permit you selected.',
    'step2.none': 'This permit has no services yet.',
    'step2.options': (v) => `${v.n} application ${plural(v.n, 'type', 'types')}`,

    'step3.heading': 'Step 3: Choose the Application Type',
    'step3.help': 'Choose the application type. Its requirements are shown automatically.',
    'step3.choiceLabel': 'Application type',
    'step3.none': 'This service has no application types yet.',
    'step3.selectFirst': 'Choose an application type first, then press Next.',
    'step3.notReady': 'The requirements have not loaded yet. Wait a moment or press Try again.',
    'step3.layananMissing': 'The chosen service was not found for this permit. Please choose again.',
    'step3.selected': 'selected',

    'choice.heading': 'Your choices',
    'choice.izin': 'Permit',
    'choice.layanan': 'Service type',
    'choice.permohonan': 'Application type',
    'izin.sector': 'Sector',
    'izin.legalBasis': 'Legal basis',

    'jenis.baru': 'New',
    'jenis.perpanjangan': 'Renewal',
    'jenis.perubahan': 'Change',
    'jenis.pencabutan': 'Revocation',

    'info.heading': 'Application details',
    'sla.label': 'Processing time',
    'sla.value': (v) => `${v.n} working ${plural(v.n, 'day', 'days')}`,
    'sla.sentence': (v) => `Processing time: ${v.n} working ${plural(v.n, 'day', 'days')}`,
    'fee.label': 'Fee',
    'fee.free': 'Free',
    'company.label': 'Company data',
    'company.required': 'Required',
    'company.optional': 'Optional (fill in if you have a company)',
    'company.none': 'Not needed',
    'survey.label': 'Field survey',
    'survey.yes': 'Yes, an officer will carry out a field survey',
    'survey.no': 'None',

    'persyaratan.heading': 'Requirements',
    'persyaratan.help': 'Prepare the following documents. You upload them in Step 4 (Complete the Details).',
    'persyaratan.none': 'This application needs no documents.',
    'persyaratan.wajib': 'Required',
    'persyaratan.opsional': 'Optional',
    'persyaratan.fileTypes': 'File format: {types}',

    'btn.lanjut': 'Next',
    'btn.kembali': 'Back',
    'btn.batal': 'Cancel',
    'btn.retry': 'Try again',
    'btn.close': 'Dismiss',

    'cancel.title': 'Cancel this application?',
    'cancel.body': 'Your choices for this application are not saved and you will return to the Dashboard.',
    'cancel.confirm': 'Yes, cancel',
    'cancel.stay': 'No, continue',

    'step4.heading': 'Step 4: Complete the Details',
    'step4.intro': 'In this step you fill in:',
    'step4.pemohon': 'Applicant data',
    'step4.perusahaan': 'Company data (if you have a company)',
    'step4.perusahaanWajib': 'Company data (required for this permit)',
    'step4.lokasi': 'Permit location',
    'step4.detail': 'Details and requirement attachments',
    'step4.loginTitle': 'Please log in or register to continue',
    'step4.loginBody': 'This step needs an e-PTSP account so that your data and files are kept safe. No account yet? Choose Register.',

    'err.title': 'Something went wrong',
    'err.network': 'Cannot connect to the server. Check your internet connection and try again.',
    'err.timeout': 'The server took too long to answer. Check your internet connection and try again.',
    'err.server': 'The server is having problems. Please try again in a few moments.',
    'err.notFound': 'The requested data was not found.',
    'err.tooMany': 'Too many requests. Wait a moment and try again.',
    'err.generic': 'The request could not be processed (code {status}).',
    'err.badData': 'The data from the server could not be read.',
    'err.hintRetry': 'Press Try again. If the problem continues, contact the DPMPTSP office of Kalimantan Utara Province.',
    'err.hintNotFound': 'This data may no longer be available. Please choose again from the list.',
    'err.chooseAgain': 'Choose another permit',
    'err.inline': 'The data could not be loaded yet. See the message above.',

    'footer.rights': (v) => `© ${v.year} DPMPTSP of Kalimantan Utara Province`,
    'footer.tz': 'All times are shown in WITA (Central Indonesia Time).',
  },
};

function readStoredLang() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

let current = (typeof window !== 'undefined' && readStoredLang()) || DEFAULT_LANG;
const listeners = new Set();

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable (private mode): the choice lasts for this page only */
  }
  document.documentElement.lang = lang;
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Translate a key; `{name}` placeholders are filled from vars. Falls back to Indonesian. */
export function t(key, vars = {}) {
  let entry = messages[current][key];
  if (entry === undefined) entry = messages[DEFAULT_LANG][key];
  if (entry === undefined) return key;
  if (typeof entry === 'function') return entry(vars);
  return entry.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}
